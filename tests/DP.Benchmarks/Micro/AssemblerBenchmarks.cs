using BenchmarkDotNet.Attributes;
using DP.Runtime.Prompts.Assembly;
using DP.Runtime.Prompts.Gumbel;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Benchmarks.Micro;

/// <summary>
/// Putting 20 prompt rows into 16 × 128-token inputs (MiniLM width 384) at a per-row split: with a gradient-carrying
/// one-hot choice (training: exact gather plus the straight-through selection product) and without (evaluation).
/// </summary>
public class AssemblerBenchmarks
{
    private const int Batch = 16, Tokens = 128, Rows = 20, Width = 384;
    private readonly PromptAssembler _assembler = new(Rows, keepLeadingToken: true);
    private Tensor _tokens = null!, _mask = null!, _types = null!, _prompt = null!, _logits = null!;

    [Params(true, false)]
    public bool Training { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tokens = torch.randn(Batch, Tokens, Width);
        _mask = torch.ones(Batch, Tokens, dtype: ScalarType.Int64);
        _mask[.., 100..] = torch.tensor(0L); // a quarter of the rows' tail is padding
        _types = torch.zeros(Batch, Tokens, dtype: ScalarType.Int64);
        _prompt = torch.randn(Batch, Rows, Width).requires_grad_(Training);
        _logits = torch.randn(Batch, Rows + 1).requires_grad_(Training);
    }

    [Benchmark]
    public long Assemble()
    {
        using var scope = NewDisposeScope();
        using var grad = torch.set_grad_enabled(Training);
        var choice = HardGumbelSoftmax.StraightThrough(torch.softmax(_logits, -1));
        var assembled = _assembler.Assemble(_tokens, _mask, _types, _prompt, new PromptSplit.OneHot(choice));
        return assembled.InputsEmbeds.shape[1];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { _tokens, _mask, _types, _prompt, _logits }) t.Dispose();
    }
}
