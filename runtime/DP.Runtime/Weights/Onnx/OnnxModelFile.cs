using Google.Protobuf;
using Onnx;

namespace DP.Runtime.Weights.Onnx;

/// <summary>Reads an ONNX ModelProto (protobuf messages from the OnnxSharp package).</summary>
public static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <param name="source">Names the model in errors (a file path or a resource name).</param>
    public static ModelProto Read(Stream stream, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new WeightLoadException(source, null, $"not a valid ONNX model ({e.Message}).", e);
        }
        if (model.Graph is null || model.Graph.Initializer.Count == 0)
            throw new WeightLoadException(source, null, "the ONNX model has no graph initializers (no weights to load).");
        return model;
    }
}
