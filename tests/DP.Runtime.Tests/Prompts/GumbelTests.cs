using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Gumbel;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

public class GumbelTests
{
    [Fact]
    public void ForwardIsExactlyOneHotAndBackwardReachesEveryLogit()
    {
        using var gumbel = new HardGumbelSoftmax(5);
        using var gen = new Generator(1);
        var logits = torch.randn([6, 5], generator: gen).requires_grad_(true);
        var g = gumbel.Sample(logits, 0.7);
        var values = PromptTestKit.Values(g);
        Assert.All(values, v => Assert.True(v == 0f || v == 1f));
        Assert.All(PromptTestKit.Values(g.sum(-1)), s => Assert.Equal(1f, s));
        (g * torch.randn([6, 5], generator: gen)).sum().backward();
        Assert.All(PromptTestKit.Values(logits.grad!), v => Assert.NotEqual(0f, v));
    }

    [Fact]
    public void CompoundScheduleReachesItsFloorAfterAbout680Steps()
    {
        var t = new GumbelTemperature(new GumbelOptions { Schedule = GumbelSchedule.Compound });
        int reached = 0;
        for (int step = 1; step <= 2000 && reached == 0; step++)
        {
            double before = t.Value;
            t.Step(step);
            Assert.Equal(Math.Max(before * Math.Exp(-3e-5 * step / 10), 0.5), t.Value, 12);
            if (t.Value == 0.5) reached = step;
        }
        Assert.InRange(reached, 660, 700);
    }

    [Fact]
    public void ExponentialScheduleFollowsItsFormula()
    {
        var t = new GumbelTemperature(new GumbelOptions { Schedule = GumbelSchedule.Exponential, InitialTemperature = 2.0, MinTemperature = 0.1, Rate = 0.01 });
        t.Step(100);
        Assert.Equal(2.0 * Math.Exp(-1.0), t.Value, 12);
        t.Step(1000);
        Assert.Equal(0.1, t.Value, 12);
    }
}
