using DP.Runtime.Backbones;
using DP.Runtime.Devices;
using DP.Runtime.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Sources;

/// <summary>
/// Initial values of an n × d prompt: Uniform(−0.5, 0.5), sampled vocabulary rows, or a text's token embeddings.
/// Vocabulary rows are drawn from <c>vocabIds</c> (the tokenizer's ordinary tokens: no special tokens, sentinels or
/// rows past its vocabulary) when given, else from every row of the embedding table. <see cref="PromptInit.VocabFirst"/>
/// is the authors' form: prompt <c>index</c> of a pool takes rows index·n .. index·n + n − 1 of the table (the first
/// n·k rows split into k prompts; a single prompt: the first n rows).
/// </summary>
public static class PromptInitializer
{
    public static Tensor Create(PromptInit init, int length, IPromptableBackbone backbone, Generator gen, IReadOnlyList<int>? textIds = null,
        IReadOnlyList<int>? vocabIds = null, int index = 0)
    {
        using var scope = NewDisposeScope();
        var table = backbone.WordEmbeddingWeight;
        int d = backbone.Shape.HiddenSize;
        Tensor rows = init switch
        {
            PromptInit.Random => ParameterInit.Uniform([length, d], -0.5, 0.5, gen, table.device),
            PromptInit.Vocab => Rows(table, VocabIds(vocabIds, (int)table.shape[0], length, gen)),
            PromptInit.VocabFirst => Rows(table, FirstRows(index, length, (int)table.shape[0])),
            PromptInit.Text => Rows(table, TextIds(textIds, length)),
            _ => throw new ArgumentOutOfRangeException(nameof(init), init, "Unknown prompt init."),
        };
        return rows.to(ScalarType.Float32).clone().MoveToOuterDisposeScope();
    }

    private static Tensor Rows(Tensor table, Tensor ids)
    {
        using var _ = torch.no_grad();
        return MetaFallback.IndexSelect(table, 0, ids.to(table.device)).detach();
    }

    private static Tensor VocabIds(IReadOnlyList<int>? vocabIds, int rows, int length, Generator gen)
    {
        if (vocabIds is null) return torch.randint(0, rows, [length], dtype: ScalarType.Int64, generator: gen);
        if (vocabIds.Count == 0) throw new ArgumentException("method.init 'vocab': the tokenizer has no ordinary tokens to draw from.");
        if (vocabIds.Any(id => id < 0 || id >= rows))
            throw new ArgumentException($"method.init 'vocab': the tokenizer's ids reach past the model's {rows} embedding rows.");
        var picks = torch.randint(0, vocabIds.Count, [length], dtype: ScalarType.Int64, generator: gen).data<long>().ToArray();
        return torch.tensor(picks.Select(p => (long)vocabIds[(int)p]).ToArray());
    }

    private static Tensor FirstRows(int index, int length, int rows)
    {
        long first = (long)index * length;
        if (first + length > rows)
            throw new ArgumentException($"method.init 'vocab_first': prompt {index + 1} needs rows {first}..{first + length - 1} but the model has {rows} embedding rows.");
        return torch.arange(first, first + length, dtype: ScalarType.Int64);
    }

    /// <summary>The text's ids repeated (or truncated) to exactly n.</summary>
    private static Tensor TextIds(IReadOnlyList<int>? textIds, int length)
    {
        if (textIds is null || textIds.Count == 0)
            throw new ArgumentException("method.init is 'text' but method.init_text gave no tokens; set method.init_text to a non-empty text.");
        var ids = Enumerable.Range(0, length).Select(i => (long)textIds[i % textIds.Count]).ToArray();
        return torch.tensor(ids);
    }
}
