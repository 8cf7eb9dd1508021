using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Weights.Onnx;

/// <summary>
/// Loads an ONNX model's initializers into a TorchSharp module strictly: every parameter must be found and
/// shape-checked before any is written, so a failed load leaves the module untouched. Values are copied into the
/// existing parameters, keeping their device and dtype.
/// </summary>
public static class OnnxWeightLoader
{
    public static WeightLoadReport LoadFile(nn.Module module, string path) => Load(module, OnnxModelFile.Read(path), path);

    public static WeightLoadReport Load(nn.Module module, Stream onnx, string source) => Load(module, OnnxModelFile.Read(onnx, source), source);

    public static WeightLoadReport Load(nn.Module module, ModelProto model, string source)
    {
        var parameters = module.named_parameters().ToList();
        var names = parameters.Select(p => p.name).ToHashSet();
        var map = OnnxParameterMap.Build(model.Graph, names, source);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);

        var missing = parameters.Select(p => p.name).Where(n => !map.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new WeightLoadException(source, missing[0],
                $"parameter '{missing[0]}' has no tensor in the ONNX model" +
                (missing.Count > 1 ? $" ({missing.Count} parameters missing: {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", …" : "")})." : "."));

        foreach (var (name, parameter) in parameters)
        {
            var s = map[name];
            var dims = OnnxTensors.Shape(initializers[s.InitializerName]);
            var stored = s.Transposed && dims.Length == 2 ? [dims[1], dims[0]] : dims;
            if (!stored.SequenceEqual(parameter.shape) || (s.Transposed && dims.Length != 2))
                throw new WeightLoadException(source, s.InitializerName,
                    $"tensor '{s.InitializerName}' for parameter '{name}'{(s.Transposed ? " (stored transposed)" : "")} has shape " +
                    $"[{string.Join(", ", dims)}]; the parameter needs [{string.Join(", ", parameter.shape)}]{(s.Transposed ? " after transposing" : "")}.");
        }

        using (torch.no_grad())
        {
            foreach (var (name, parameter) in parameters)
            {
                using var scope = torch.NewDisposeScope();
                var s = map[name];
                var value = OnnxTensors.ToFloatTensor(initializers[s.InitializerName], source);
                if (s.Transposed) value = value.t();
                parameter.copy_(value);
            }
        }

        // Integer initializers are shape constants of the graph, not weights.
        var used = map.Values.Select(s => s.InitializerName).ToHashSet();
        var unused = model.Graph.Initializer
            .Where(t => !used.Contains(t.Name) && t.DataType == (int)TensorProto.Types.DataType.Float)
            .Select(t => t.Name).ToList();
        return new WeightLoadReport(source, parameters.Select(p => p.name).ToList(), unused);
    }
}
