namespace Portcullis.Policies;
