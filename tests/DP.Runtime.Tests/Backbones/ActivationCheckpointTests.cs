using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Checkpointing;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Tests.Prompts;
using DP.Runtime.Tests.T5;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Backbones;

/// <summary>
/// training.gradient_checkpointing must change memory, not results: the loss and every trainable gradient with the
/// backbone's layers checkpointed equal those of the plain forward.
/// </summary>
public class ActivationCheckpointTests
{
    [Theory]
    [InlineData(MethodKind.FineTune, PositionPolicy.Prefix)]   // gradients reach every backbone weight
    [InlineData(MethodKind.Prefix, PositionPolicy.Prefix)]     // per-layer key/value prefixes are checkpoint inputs
    [InlineData(MethodKind.Dynamic, PositionPolicy.Instance)]  // prompt rows inside the input, Gumbel choices
    public void CheckpointedBertGivesTheSameLossAndGradients(MethodKind kind, PositionPolicy position)
    {
        var batch = PromptTestKit.TokenPresenceBatch(rows: 6, seed: 4);
        var plain = Gradients(kind, position, batch, checkpointing: false);
        var checkpointed = Gradients(kind, position, batch, checkpointing: true);

        Assert.Equal(plain.Loss, checkpointed.Loss, 5);
        Assert.Equal(plain.Grads.Keys.Order(), checkpointed.Grads.Keys.Order());
        Assert.NotEmpty(plain.Grads);
        foreach (var (name, grad) in plain.Grads)
            AssertClose(grad, checkpointed.Grads[name], name);
    }

    [Fact]
    public void CheckpointedT5EncoderAndDecoderGiveTheSameGradients()
    {
        var plain = T5Gradients(checkpointing: false);
        var checkpointed = T5Gradients(checkpointing: true);
        Assert.Equal(plain.Keys.Order(), checkpointed.Keys.Order());
        Assert.Contains(plain.Keys, k => k.StartsWith("decoder.block.1."));
        foreach (var (name, grad) in plain)
            AssertClose(grad, checkpointed[name], name);
    }

    [Fact]
    public void WithoutGradientsTheCheckpointedForwardIsThePlainOne()
    {
        using var backbone = PromptTestKit.Backbone(seed: 11);
        var batch = PromptTestKit.TokenPresenceBatch(rows: 3, seed: 2);
        using var noGrad = torch.no_grad();
        var input = new BackboneInput(backbone.EmbedTokens(batch.InputIds), batch.AttentionMask);
        var plain = backbone.Forward(input).LastHiddenState;
        backbone.GradientCheckpointing = true;
        Assert.True(PromptTestKit.Same(plain, backbone.Forward(input).LastHiddenState));
    }

    [Fact]
    public void OptionalInputsMayBeMissingAndOnlyTensorInputsGetGradients()
    {
        using var gen = new Generator(2);
        var x = torch.randn([3, 4], generator: gen).requires_grad_(true);
        var w = torch.randn([4, 4], generator: gen).requires_grad_(true);
        var y = ActivationCheckpoint.Run(xs => torch.matmul(xs[0]!, w) * (xs[1] is null ? 2 : 3), null, x, null);
        y.sum().backward();
        AssertClose((torch.ones(3, 4).matmul(w.t()) * 2).detach(), x.grad!, "x");
        AssertClose((x.t().matmul(torch.ones(3, 4)) * 2).detach(), w.grad!, "w");
    }

    [Fact]
    public void TheReRunReplaysTheDropoutMasksAndLeavesTheGeneratorWhereThePlainRunDoes()
    {
        // T5's dropout (config 0.1) is on in training mode, the default mode of a new module: the checkpointed backward
        // re-runs every block and must draw the masks of the forward again, then continue the stream unchanged.
        var plain = T5Gradients(checkpointing: false, out var plainState, out var trainLogits);
        var checkpointed = T5Gradients(checkpointing: true, out var checkpointedState, out _);
        var evalLogits = T5Gradients(checkpointing: false, out _, out _, eval: true);
        Assert.False(PromptTestKit.Same(trainLogits, evalLogits.Values.First()), "no dropout acted in training mode");
        foreach (var (name, grad) in plain) AssertClose(grad, checkpointed[name], name);
        Assert.Equal(plainState.Keys, checkpointedState.Keys);
        foreach (var (device, bytes) in plainState) Assert.Equal(bytes, checkpointedState[device]);
    }

    private static (double Loss, Dictionary<string, Tensor> Grads) Gradients(MethodKind kind, PositionPolicy position,
        Models.ModelBatch batch, bool checkpointing)
    {
        var model = PromptTestKit.Model(PromptTestKit.Method(kind, position, pool: kind == MethodKind.Dynamic ? 3 : 0),
            PromptTestKit.Backbone(seed: 9));
        model.Backbone.GradientCheckpointing = checkpointing;
        model.Module.train();
        var loss = model.Loss(batch);
        loss.backward();
        var grads = model.Module.named_parameters()
            .Where(p => p.parameter.requires_grad && p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        return (loss.item<float>(), grads);
    }

    private static Dictionary<string, Tensor> T5Gradients(bool checkpointing) => T5Gradients(checkpointing, out _, out _);

    /// <param name="eval">Returns the eval-mode logits (under "logits") instead of gradients.</param>
    private static Dictionary<string, Tensor> T5Gradients(bool checkpointing, out IReadOnlyDictionary<string, byte[]> dropoutState,
        out Tensor logits, bool eval = false)
    {
        // Both calls must build the same model and batch: generators of their own, not torch's shared default one.
        using var weights = new Generator(5);
        var model = new T5Model(T5TestConfigs.Tiny with { VocabSize = 320 }, weights);
        using var inputs = new Generator(6);
        var ids = torch.randint(3, 320, [2, 7], generator: inputs);
        var decoderIds = torch.randint(3, 320, [2, 3], generator: inputs);
        model.GradientCheckpointing = checkpointing;
        if (eval) model.eval();
        var output = model.Forward(new BackboneInput(model.EmbedTokens(ids), torch.ones(2, 7), DecoderInputIds: decoderIds));
        logits = output.DecoderLogits!.detach().clone();
        dropoutState = model.Dropout.Generators.Snapshot();
        if (eval) return new Dictionary<string, Tensor> { ["logits"] = logits };
        output.DecoderLogits!.pow(2).mean().backward();
        dropoutState = model.Dropout.Generators.Snapshot();
        return model.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
    }

    private static void AssertClose(Tensor expected, Tensor actual, string name)
    {
        double scale = Math.Max(1e-6, expected.abs().max().item<float>());
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= 1e-5 * scale + 1e-7, $"{name}: max |difference| {diff:g3} against max |gradient| {scale:g3}");
    }
}
