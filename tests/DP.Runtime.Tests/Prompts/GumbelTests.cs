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
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.3)]
    public void HardSampleFrequenciesMatchSoftmaxOfTheLogitsAtAnyTemperature(double temperature)
    {
        // argmax((l + G) / τ) with Gumbel G picks option k with probability softmax(l)_k whatever τ.
        const int draws = 20000;
        var row = new float[] { 1.0f, 0.0f, -0.5f, 2.0f, 0.3f };
        using var gumbel = new HardGumbelSoftmax(17);
        var counts = PromptTestKit.Values(gumbel.Sample(torch.tensor(row).expand(draws, -1), temperature).sum(dim: 0));
        var expected = PromptTestKit.Values(torch.softmax(torch.tensor(row), -1));
        for (int k = 0; k < row.Length; k++)
        {
            double p = expected[k], standardError = Math.Sqrt(p * (1 - p) / draws);
            Assert.InRange(counts[k] / draws, p - 4.5 * standardError, p + 4.5 * standardError);
        }
    }

    [Fact]
    public void BackwardIsTheGradientOfSoftmaxOfNoisyLogitsOverTheTemperature()
    {
        // The same seed draws the same uniforms u, so G = −log(−log u) can be rebuilt here and the soft relaxation
        // softmax((l + G) / τ) differentiated by hand-built autograd.
        var logits = torch.tensor(new float[,] { { 0.5f, -1.0f, 0.2f, 1.5f }, { 0.0f, 0.3f, -0.7f, 0.1f } });
        using var weightsGen = new Generator(3);
        var weights = torch.randn(logits.shape, generator: weightsGen);
        float[] Gradient(double temperature, bool handBuilt)
        {
            var l = logits.clone().requires_grad_(true);
            Tensor g;
            if (handBuilt)
            {
                using var gen = new Generator(21);
                var u = torch.rand(l.shape, generator: gen);
                g = torch.softmax((l - torch.log(-torch.log(u))) / temperature, -1);
            }
            else
            {
                using var gumbel = new HardGumbelSoftmax(21);
                g = gumbel.Sample(l, temperature);
            }
            (g * weights).sum().backward();
            return PromptTestKit.Values(l.grad!);
        }
        foreach (var t in new[] { 1.0, 0.4 })
        {
            var actual = Gradient(t, handBuilt: false);
            var expected = Gradient(t, handBuilt: true);
            for (int i = 0; i < actual.Length; i++) Assert.Equal(expected[i], actual[i], 5);
        }
        var atOne = Gradient(1.0, handBuilt: false);
        var atLow = Gradient(0.4, handBuilt: false);
        Assert.True(atOne.Zip(atLow).Max(p => Math.Abs(p.First - p.Second)) > 1e-2, "the temperature does not change the soft values");
    }
}
