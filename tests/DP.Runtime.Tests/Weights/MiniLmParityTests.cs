using DP.Runtime.Backbones;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Weights;

[Collection(MiniLmCollection.Name)]
public class MiniLmParityTests(MiniLmFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void PackagedModelLoadsEveryParameterItsPoolerIncluded()
    {
        output.WriteLine($"packaged minilm-l6 load: {fixture.LoadTime.TotalMilliseconds:F0} ms");
        var load = fixture.Model.LoadReport;
        Assert.Equal(fixture.Model.Backbone.parameters().Count(), load.Loaded.Count);
        Assert.Empty(load.Unused);
        // The export's named pooler initializers (P-tuning v2's head reads them); it has no masked-LM head.
        Assert.Equal(DP.Runtime.Backbones.Bert.BertParts.Pooler, fixture.Model.Backbone.Parts);
        Assert.Contains("pooler.dense.weight", load.Loaded);
        Assert.True(fixture.Model.Backbone.pooler!.dense.weight!.abs().sum().item<float>() > 0);
        Assert.False(fixture.Model.Backbone.training);
        Assert.Equal(["minilm-l6"], PackagedModels.Names);
    }

    [Fact]
    public void UnknownPackagedModelNamesTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => PackagedModels.Load("bert-large"));
        Assert.Contains("'bert-large'", e.Message);
        Assert.Contains("minilm-l6", e.Message);
    }

    [Fact]
    public void MatchesOnnxRuntimeOnTheOriginalExport()
    {
        var (ids, types, mask) = MiniLmFixture.Batch(fixture.Model.Tokenizer);
        int batch = ids.GetLength(0), length = ids.GetLength(1);
        Assert.True(batch >= 16);

        using var ours = MiniLmFixture.Forward(fixture.Model.Backbone, ids, types, mask);

        byte[] onnx;
        using (var stream = PackagedModels.OpenOnnx("minilm-l6"))
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            onnx = copy.ToArray();
        }
        using var session = new InferenceSession(onnx);
        long[] shape = [batch, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(Flatten(ids), shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(Flatten(mask), shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(Flatten(types), shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions,
            new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue, ["token_type_ids"] = typesValue },
            ["last_hidden_state"]);
        var reference = torch.tensor(results[0].GetTensorDataAsSpan<float>().ToArray(), [batch, length, 384]);

        var real = torch.tensor(mask).to(ScalarType.Bool).unsqueeze(-1);
        var maxDiff = (ours - reference).abs().masked_fill(real.logical_not(), 0).max().item<float>();
        output.WriteLine($"{batch} texts, {mask.Cast<long>().Sum()} real tokens, padded length {length}: max |Δ| = {maxDiff:E3}");
        Assert.True(maxDiff <= 1e-4f, $"max |Δ| over real tokens {maxDiff:E3} > 1e-4");
    }

    [Fact]
    public void BFloat16StaysCloseToFloat32()
    {
        var (ids, types, mask) = MiniLmFixture.Batch(fixture.Model.Tokenizer);
        using var fp32 = MiniLmFixture.Forward(fixture.Model.Backbone, ids, types, mask);

        var bf16Model = PackagedModels.Load("minilm-l6").Backbone; // a copy: the dtype change is not reversible
        bf16Model.SetComputeDType(ScalarType.BFloat16);
        using var bf16 = MiniLmFixture.Forward(bf16Model, ids, types, mask);
        bf16Model.Dispose();
        Assert.Equal(ScalarType.Float32, bf16.dtype);

        var real = torch.tensor(mask).to(ScalarType.Bool);
        var a = bf16[real];
        var b = fp32[real];
        var relative = ((a - b).norm() / b.norm()).item<float>();
        output.WriteLine($"bf16 vs fp32 relative error over real tokens: {relative:E3}");
        Assert.True(relative <= 2e-2f, $"relative error {relative:E3} > 2e-2");
    }

    private static long[] Flatten(long[,] a) => a.Cast<long>().ToArray();
}
