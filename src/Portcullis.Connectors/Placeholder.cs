namespace Portcullis.Connectors;
