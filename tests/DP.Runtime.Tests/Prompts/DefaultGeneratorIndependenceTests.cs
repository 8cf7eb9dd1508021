using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Gumbel;
using DP.Runtime.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

/// <summary>
/// The runtime draws prompts, heads and Gumbel noise from generators of its own: these tests seed and draw from
/// torch's process-wide default generator in between to show it, so they run in the serial collection, where no other
/// test's draws can interleave with theirs.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class DefaultGeneratorIndependenceTests
{
    [Fact]
    public void SameSeedSameDrawsWhateverTheGlobalRng()
    {
        var logits = torch.zeros(50, 7);
        using var a = new HardGumbelSoftmax(42);
        using var b = new HardGumbelSoftmax(42);
        torch.manual_seed(1);
        var first = a.Sample(logits, 1.0).argmax(-1);
        torch.manual_seed(2);
        torch.rand(100); // unrelated global RNG use
        var second = b.Sample(logits, 1.0).argmax(-1);
        Assert.True(PromptTestKit.Same(first, second));
        using var c = new HardGumbelSoftmax(43);
        Assert.False(PromptTestKit.Same(first, c.Sample(logits, 1.0).argmax(-1)));
    }

    [Fact]
    public void SameSeedSameModel()
    {
        var method = PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance, pool: 2, init: PromptInit.Vocab);
        using var a = PromptTestKit.Model(method, seed: 5);
        torch.manual_seed(123);
        using var b = PromptTestKit.Model(method, seed: 5);
        var pa = a.ParameterGroups.SelectMany(g => g.Parameters).ToList();
        var pb = b.ParameterGroups.SelectMany(g => g.Parameters).ToList();
        Assert.Equal(pa.Count, pb.Count);
        for (int i = 0; i < pa.Count; i++) Assert.True(PromptTestKit.Same(pa[i].detach(), pb[i].detach()));
    }
}
