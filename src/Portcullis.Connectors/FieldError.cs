namespace Portcullis.Connectors;

/// <summary>One offending payload field.</summary>
/// <param name="Field">Path of the field, e.g. <c>payload.amount</c> or <c>payload.to[1]</c>.</param>
/// <param name="Message">Lowercase message without a final period, e.g. <c>is required</c>.</param>
public sealed record FieldError(string Field, string Message);
