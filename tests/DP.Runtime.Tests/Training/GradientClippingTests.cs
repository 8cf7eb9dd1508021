using DP.Runtime.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Training;

/// <summary>The device-side clipping gives exactly what libtorch's clip_grad_norm_ (which reads the norm to the host) gives.</summary>
public class GradientClippingTests
{
    [Theory]
    [InlineData(1.0, 1)]   // one gradient, clipped
    [InlineData(1.0, 4)]   // several, clipped
    [InlineData(1e6, 4)]   // below the maximum: unchanged
    public void MatchesLibtorchBitForBit(double maxNorm, int count)
    {
        var ours = Parameters(count);
        var theirs = Parameters(count);
        GradientClipping.ClipNorm(ours, maxNorm);
        nn.utils.clip_grad_norm_(theirs, maxNorm);
        for (int i = 0; i < count; i++)
            Assert.True(ours[i].grad!.eq(theirs[i].grad!).all().item<bool>(), $"gradient {i} differs");
        if (maxNorm < 10) Assert.True(Norm(ours) < maxNorm + 1e-4, "not clipped");
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        var p = new Parameter(torch.ones(3));
        GradientClipping.ClipNorm([p], 1.0);
        Assert.Null(p.grad);
    }

    // Parameters of assorted shapes with gradients from their own generator (the same for each call).
    private static List<Parameter> Parameters(int count)
    {
        using var gen = new Generator(17);
        var shapes = new long[][] { [5, 3], [7], [2, 3, 4], [1] };
        return Enumerable.Range(0, count).Select(i =>
        {
            var p = new Parameter(torch.zeros(shapes[i]));
            p.grad = torch.randn(shapes[i], generator: gen) * 3;
            return p;
        }).ToList();
    }

    private static double Norm(List<Parameter> ps) => Math.Sqrt(ps.Sum(p => p.grad!.square().sum().item<float>()));
}
