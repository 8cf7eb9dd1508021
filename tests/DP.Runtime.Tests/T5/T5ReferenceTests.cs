using DP.Runtime.Backbones;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Weights.HuggingFace;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.T5;

/// <summary>
/// Checks the C# T5 against an independent float64 implementation (assets/make_tiny_t5_reference.py) on a
/// python-written Hugging Face folder: loading a transformers-style checkpoint and the numbers it computes.
/// </summary>
public class T5ReferenceTests
{
    private static readonly string Assets = Path.Combine(AppContext.BaseDirectory, "T5", "assets");

    private static float MaxAbsDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void LoadsPythonWrittenFolderAndMatchesIndependentReference()
    {
        var expected = Safetensors.LoadStateDict(Path.Combine(Assets, "tiny_t5_expected.safetensors"));
        using var model = (T5Model)HuggingFaceFolder.LoadBackbone(Path.Combine(Assets, "tiny_t5"));
        Assert.True(model.Config.IsGated);
        Assert.NotNull(model.lm_head);

        var mask = expected["mask"];
        var output = model.Forward(new BackboneInput(model.EmbedTokens(expected["ids"]), mask, DecoderInputIds: expected["decoder_ids"]));
        var real = mask.to(ScalarType.Bool);
        Assert.True(MaxAbsDiff(output.LastHiddenState[real], expected["encoder"][real]) < 1e-5);
        Assert.True(MaxAbsDiff(output.DecoderHiddenState!, expected["decoder_hidden"]) < 1e-5);
        Assert.True(MaxAbsDiff(output.DecoderLogits!, expected["logits"]) < 1e-4, $"logits differ by {MaxAbsDiff(output.DecoderLogits!, expected["logits"])}");
    }

    [Fact]
    public void DeepPromptPrefixesMatchIndependentReference()
    {
        var expected = Safetensors.LoadStateDict(Path.Combine(Assets, "tiny_t5_expected.safetensors"));
        using var model = (T5Model)HuggingFaceFolder.LoadBackbone(Path.Combine(Assets, "tiny_t5"));
        int layers = model.Config.NumLayers;
        var deep = new DeepPrompt(
            Enumerable.Range(0, layers).Select(i => expected[$"prefix_key.{i}"]).ToList(),
            Enumerable.Range(0, layers).Select(i => expected[$"prefix_value.{i}"]).ToList(),
            expected["prefix_mask"]);
        var mask = expected["mask"];
        var output = model.Forward(new BackboneInput(model.EmbedTokens(expected["ids"]), mask, DeepPrompt: deep, DecoderInputIds: expected["decoder_ids"]));
        var real = mask.to(ScalarType.Bool);
        Assert.True(MaxAbsDiff(output.LastHiddenState[real], expected["prefixed_encoder"][real]) < 1e-5);
        Assert.True(MaxAbsDiff(output.DecoderLogits!, expected["prefixed_logits"]) < 1e-4);
        // The prefixes matter: the prefixed run is far from the plain one.
        Assert.True(MaxAbsDiff(expected["prefixed_logits"], expected["logits"]) > 1e-2);
    }

    [Fact]
    public void TorchSaveCheckpointWithSharedStorageLoadsTheSameWeights()
    {
        using var fromSafetensors = (T5Model)HuggingFaceFolder.LoadBackbone(Path.Combine(Assets, "tiny_t5"));
        var (backbone, report) = HuggingFaceFolder.LoadBackboneWithReport(Path.Combine(Assets, "tiny_t5_bin"));
        using var fromBin = (T5Model)backbone;
        var expected = fromSafetensors.state_dict();
        foreach (var (name, tensor) in fromBin.state_dict())
            Assert.True(tensor.eq(expected[name]).all().item<bool>(), $"{name} differs between pytorch_model.bin and model.safetensors");
        Assert.Equal(["decoder.embed_tokens.weight", "encoder.embed_tokens.weight"], report.Unused.Order());
    }

    [Fact]
    public void BFloat16RunStaysNearTheReference()
    {
        var expected = Safetensors.LoadStateDict(Path.Combine(Assets, "tiny_t5_expected.safetensors"));
        using var model = (T5Model)HuggingFaceFolder.LoadBackbone(Path.Combine(Assets, "tiny_t5"), ScalarType.BFloat16);
        var output = model.Forward(new BackboneInput(model.EmbedTokens(expected["ids"]), expected["mask"], DecoderInputIds: expected["decoder_ids"]));
        var scale = expected["logits"].abs().max().item<float>();
        Assert.True(MaxAbsDiff(output.DecoderLogits!, expected["logits"]) / scale < 0.05);
    }
}
