using System.Runtime.InteropServices;
using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Weights;
using DP.Runtime.Weights.Onnx;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Weights;

public class OnnxWeightLoaderTests
{
    private static readonly BertConfig Tiny = new()
    {
        VocabSize = 40, HiddenSize = 8, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 12, MaxPositionEmbeddings = 16,
    };

    /// <summary>
    /// Writes a model's parameters the way the PyTorch exporter does: Linear weights as anonymous numbered
    /// initializers stored [in, out] and read by MatMul → Add(bias); everything else by name; plus a pooler
    /// the BertModel does not have.
    /// </summary>
    private static ModelProto Export(BertModel model)
    {
        var graph = new GraphProto { Name = "tiny" };
        int next = 900, nodes = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            bool linear = name.StartsWith("encoder.", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal) && p.dim() == 2;
            if (!linear)
            {
                graph.Initializer.Add(Initializer(name, p));
                continue;
            }
            var weight = (next++).ToString();
            graph.Initializer.Add(Initializer(weight, p.t()));
            var bias = name[..^".weight".Length] + ".bias";
            var product = $"mm{nodes}";
            graph.Node.Add(new NodeProto { OpType = "MatMul", Name = $"MatMul_{nodes}", Input = { $"x{nodes}", weight }, Output = { product } });
            // The exporter writes the bias first; either order must be understood.
            graph.Node.Add(new NodeProto { OpType = "Add", Name = $"Add_{nodes}", Input = { nodes % 2 == 0 ? bias : product, nodes % 2 == 0 ? product : bias }, Output = { $"y{nodes}" } });
            nodes++;
        }
        graph.Initializer.Add(Initializer("pooler.dense.weight", torch.ones(8, 8)));
        graph.Initializer.Add(Initializer("pooler.dense.bias", torch.ones(8)));
        return new ModelProto { IrVersion = 7, Graph = graph };
    }

    private static TensorProto Initializer(string name, Tensor value)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(value.shape);
        var data = value.detach().contiguous().to(ScalarType.Float32).data<float>().ToArray();
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
        return t;
    }

    private static BertModel Seeded(int seed)
    {
        var model = new BertModel(Tiny);
        Prompts.PromptTestKit.Reinitialise(model, seed); // a generator of its own: parallel tests share torch's default one
        return model;
    }

    [Fact]
    public void LoadsNamedAndTransposedAnonymousWeights()
    {
        using var source = Seeded(1);
        using var target = Seeded(2);
        var report = OnnxWeightLoader.Load(target, Export(source), "tiny.onnx");

        var expected = source.state_dict();
        foreach (var (name, value) in target.state_dict())
            Assert.True(value.eq(expected[name]).all().item<bool>(), $"{name} differs after loading");
        Assert.Equal(["pooler.dense.weight", "pooler.dense.bias"], report.Unused);
        Assert.Equal(source.parameters().Count(), report.Loaded.Count);
    }

    [Fact]
    public void LoadedModelComputesLikeTheSource()
    {
        using var source = Seeded(3);
        using var target = Seeded(4);
        OnnxWeightLoader.Load(target, Export(source), "tiny.onnx");
        var ids = torch.tensor(new long[,] { { 1, 5, 7, 2 } });
        var input = (BertModel m) => new BackboneInput(m.EmbedTokens(ids), torch.ones(1, 4));
        Assert.True(source.Forward(input(source)).LastHiddenState.allclose(target.Forward(input(target)).LastHiddenState));
    }

    [Fact]
    public void MissingAnonymousWeightNamesTheParameter()
    {
        using var source = Seeded(5);
        var model = Export(source);
        var matmul = model.Graph.Node.Single(n => n.OpType == "MatMul" && model.Graph.Node.Any(a => a.Input.Contains(n.Output[0]) && a.Input.Contains("encoder.layer.1.intermediate.dense.bias")));
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == matmul.Input[1]));

        using var target = Seeded(6);
        var e = Assert.Throws<WeightLoadException>(() => OnnxWeightLoader.Load(target, model, "tiny.onnx"));
        Assert.Equal("encoder.layer.1.intermediate.dense.weight", e.TensorName);
        Assert.Contains("'encoder.layer.1.intermediate.dense.weight'", e.Message);
        Assert.StartsWith("tiny.onnx: ", e.Message);
    }

    [Fact]
    public void MissingNamedTensorNamesIt()
    {
        using var source = Seeded(7);
        var model = Export(source);
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == "embeddings.LayerNorm.bias"));
        using var target = Seeded(8);
        var e = Assert.Throws<WeightLoadException>(() => OnnxWeightLoader.Load(target, model, "tiny.onnx"));
        Assert.Equal("embeddings.LayerNorm.bias", e.TensorName);
    }

    [Fact]
    public void MisShapedTensorNamesItAndLeavesTheModelUntouched()
    {
        using var source = Seeded(9);
        var model = Export(source);
        var bad = model.Graph.Initializer.Single(t => t.Name == "encoder.layer.1.output.LayerNorm.weight");
        bad.Dims.Clear();
        bad.Dims.AddRange([2, 4]);

        using var target = Seeded(10);
        var before = target.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var e = Assert.Throws<WeightLoadException>(() => OnnxWeightLoader.Load(target, model, "tiny.onnx"));
        Assert.Equal("encoder.layer.1.output.LayerNorm.weight", e.TensorName);
        Assert.Contains("[2, 4]", e.Message);
        Assert.Contains("[8]", e.Message);
        foreach (var (name, value) in target.state_dict())
            Assert.True(value.eq(before[name]).all().item<bool>(), $"{name} was written by a failed load");
    }

    [Fact]
    public void NonFloatTensorNamesIt()
    {
        using var source = Seeded(11);
        var model = Export(source);
        var t = model.Graph.Initializer.Single(t => t.Name == "embeddings.token_type_embeddings.weight");
        t.DataType = (int)TensorProto.Types.DataType.Float16;
        using var target = Seeded(12);
        var e = Assert.Throws<WeightLoadException>(() => OnnxWeightLoader.Load(target, model, "tiny.onnx"));
        Assert.Equal("embeddings.token_type_embeddings.weight", e.TensorName);
        Assert.Contains("Float16", e.Message);
    }

    [Fact]
    public void GarbageIsNotAnOnnxModel()
    {
        using var target = Seeded(13);
        var e = Assert.Throws<WeightLoadException>(() =>
            OnnxWeightLoader.Load(target, new MemoryStream([0x0a, 0xff, 0xff, 0xff, 0x01, 0x02]), "broken.onnx"));
        Assert.StartsWith("broken.onnx: ", e.Message);
    }

    [Fact]
    public void PackagedExportWithAReshapedLinearWeightNamesTheTensor()
    {
        ModelProto model;
        using (var stream = PackagedModels.OpenOnnx("minilm-l6")) model = OnnxModelFile.Read(stream, "model.onnx");
        // 927 is layer 0's query weight (MatMul_34 → Add_35 with encoder.layer.0.attention.self.query.bias).
        var query = model.Graph.Initializer.Single(t => t.Name == "927");
        query.Dims.Clear();
        query.Dims.AddRange([192, 768]);

        using var target = new BertModel(BertConfig.MiniLmL6);
        var e = Assert.Throws<WeightLoadException>(() => OnnxWeightLoader.Load(target, model, "model.onnx"));
        Assert.Equal("927", e.TensorName);
        Assert.Contains("encoder.layer.0.attention.self.query.weight", e.Message);

        model.Graph.Initializer.Remove(query);
        e = Assert.Throws<WeightLoadException>(() => OnnxWeightLoader.Load(target, model, "model.onnx"));
        Assert.Equal("encoder.layer.0.attention.self.query.weight", e.TensorName);
    }
}
