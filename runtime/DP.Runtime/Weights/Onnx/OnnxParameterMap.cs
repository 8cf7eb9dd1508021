using Onnx;

namespace DP.Runtime.Weights.Onnx;

/// <summary>Where one model parameter's values are in an ONNX graph; <see cref="Transposed"/> when stored [in, out].</summary>
public sealed record OnnxParameterSource(string ParameterName, string InitializerName, bool Transposed);

/// <summary>
/// Finds each model parameter's initializer in an ONNX graph exported from PyTorch. Named initializers
/// (embeddings, LayerNorms, biases) carry the parameter name. A Linear weight is exported as an anonymous
/// initializer (a bare number) stored transposed, [in, out], read by a MatMul whose output an Add combines with the
/// layer's named bias; that bias names the module (…query.bias → …query.weight). A Gemm with a named bias is
/// handled the same way, transposed unless transB = 1.
/// </summary>
public static class OnnxParameterMap
{
    private const string BiasSuffix = ".bias";

    public static IReadOnlyDictionary<string, OnnxParameterSource> Build(GraphProto graph, IReadOnlySet<string> parameterNames, string source)
    {
        var initializers = new HashSet<string>(graph.Initializer.Select(t => t.Name));
        var map = new Dictionary<string, OnnxParameterSource>();

        void Add(OnnxParameterSource s)
        {
            if (!parameterNames.Contains(s.ParameterName)) return; // e.g. a pooler the model does not have
            if (map.TryGetValue(s.ParameterName, out var existing) && existing.InitializerName != s.InitializerName)
                throw new WeightLoadException(source, s.ParameterName,
                    $"parameter '{s.ParameterName}' matches two ONNX tensors, '{existing.InitializerName}' and '{s.InitializerName}'.");
            map[s.ParameterName] = s;
        }

        foreach (var name in initializers.Where(parameterNames.Contains))
            Add(new OnnxParameterSource(name, name, Transposed: false));

        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (var node in graph.Node)
            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }

        bool IsAnonymousWeight(string name) => initializers.Contains(name) && !parameterNames.Contains(name);
        bool IsNamedBias(string name) => initializers.Contains(name) && name.EndsWith(BiasSuffix, StringComparison.Ordinal);
        static string WeightOf(string bias) => bias[..^BiasSuffix.Length] + ".weight";

        foreach (var node in graph.Node)
        {
            if (node.OpType == "MatMul" && node.Input.Count == 2 && IsAnonymousWeight(node.Input[1]))
            {
                var product = node.Output[0];
                foreach (var add in consumers.GetValueOrDefault(product) ?? [])
                {
                    if (add.OpType != "Add" || add.Input.Count != 2) continue;
                    var other = add.Input[0] == product ? add.Input[1] : add.Input[0];
                    if (IsNamedBias(other)) Add(new OnnxParameterSource(WeightOf(other), node.Input[1], Transposed: true));
                }
            }
            else if (node.OpType == "Gemm" && node.Input.Count == 3 && IsAnonymousWeight(node.Input[1]) && IsNamedBias(node.Input[2]))
            {
                bool transB = node.Attribute.Any(a => a.Name == "transB" && a.I != 0);
                Add(new OnnxParameterSource(WeightOf(node.Input[2]), node.Input[1], Transposed: !transB));
            }
        }
        return map;
    }
}
