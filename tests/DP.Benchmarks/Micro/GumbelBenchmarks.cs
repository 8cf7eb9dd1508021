using BenchmarkDotNet.Attributes;
using DP.Runtime.Prompts.Gumbel;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Benchmarks.Micro;

/// <summary>One hard straight-through Gumbel-softmax draw over a DP position choice: batch 16, n + 1 = 21 splits.</summary>
public class GumbelBenchmarks
{
    private HardGumbelSoftmax _gumbel = null!;
    private Tensor _logits = null!;

    [GlobalSetup]
    public void Setup()
    {
        _gumbel = new HardGumbelSoftmax(seed: 1);
        _logits = torch.randn(16, 21).requires_grad_(true);
    }

    [Benchmark]
    public float SampleAndBackward()
    {
        using var scope = NewDisposeScope();
        var sample = _gumbel.Sample(_logits, temperature: 0.7);
        sample.mul(torch.arange(21, dtype: ScalarType.Float32)).sum().backward();
        return _logits.grad!.sum().item<float>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _gumbel.Dispose();
        _logits.Dispose();
    }
}
