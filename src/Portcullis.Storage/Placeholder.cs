namespace Portcullis.Storage;
