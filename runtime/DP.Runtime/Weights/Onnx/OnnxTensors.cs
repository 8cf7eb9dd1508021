using System.Runtime.InteropServices;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Weights.Onnx;

/// <summary>Turns ONNX initializers (TensorProto) into CPU float32 tensors.</summary>
public static class OnnxTensors
{
    public static long[] Shape(TensorProto t) => t.Dims.ToArray();

    /// <summary>The float32 values of an initializer; raw little-endian bytes or the float_data field.</summary>
    public static Tensor ToFloatTensor(TensorProto t, string source)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
            throw new WeightLoadException(source, t.Name, $"tensor '{t.Name}' keeps its data in an external file, which is not supported.");
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
            throw new WeightLoadException(source, t.Name,
                $"tensor '{t.Name}' has ONNX data type {(TensorProto.Types.DataType)t.DataType}; only FLOAT (float32) weights are supported.");

        var shape = Shape(t);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        float[] values;
        if (!t.RawData.IsEmpty)
        {
            if (!BitConverter.IsLittleEndian)
                throw new PlatformNotSupportedException("ONNX raw_data is little-endian; big-endian hosts are not supported.");
            if (t.RawData.Length != count * sizeof(float))
                throw new WeightLoadException(source, t.Name,
                    $"tensor '{t.Name}' has {t.RawData.Length} bytes of data but shape [{string.Join(", ", shape)}] needs {count * sizeof(float)}.");
            values = MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
        }
        else
        {
            if (t.FloatData.Count != count)
                throw new WeightLoadException(source, t.Name,
                    $"tensor '{t.Name}' has {t.FloatData.Count} values but shape [{string.Join(", ", shape)}] needs {count}.");
            values = t.FloatData.ToArray();
        }
        return torch.tensor(values, shape, ScalarType.Float32);
    }
}
