using BenchmarkDotNet.Attributes;
using DP.Runtime.Backbones;
using DP.Runtime.Tokenization;

namespace DP.Benchmarks.Micro;

/// <summary>WordPiece (the packaged MiniLM's vocabulary) on a BoolQ-sized pair: a ~120-word passage and a question, cut to 256 tokens.</summary>
public class TokenizerBenchmarks
{
    private const string Question = "is the mitochondrion the powerhouse of the cell in most eukaryotic organisms";
    private static readonly string Passage = string.Join(' ', Enumerable.Repeat(
        "Mitochondria generate most of the chemical energy needed to power the cell's biochemical reactions, stored in " +
        "adenosine triphosphate; they have their own genome, inherited maternally, and divide independently of the cell.", 4));
    private ITextTokenizer _tokenizer = null!;

    [GlobalSetup]
    public void Setup() => _tokenizer = PackagedModels.LoadTokenizer(PackagedModels.MiniLmL6);

    [Benchmark]
    public int EncodePair() => _tokenizer.Encode(Passage, Question, maxLength: 256).Ids.Length;
}
