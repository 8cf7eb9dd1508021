using DP.Runtime.Devices;
using static TorchSharp.torch;
using TorchSharp;

namespace DP.Runtime.Prompts.Assembly;

/// <summary>
/// The prompted backbone input: embeddings [B, L+n, d], attention mask [B, L+n] (1 = attend), token types, and
/// <see cref="SourceIndex"/> [B, L+n]: which row of [x; P] (input rows 0..L−1, prompt rows L..L+n−1) went to each position.
/// </summary>
public sealed record AssembledInput(Tensor InputsEmbeds, Tensor AttentionMask, Tensor? TokenTypeIds, Tensor SourceIndex);

/// <summary>
/// The one assembler every prompt method goes through. For split j the sequence is
/// [lead; P[j:]; x[lead..len−1) ; P[:j]; x[len−1] (closing token); padding], length L + n, where lead is 1 for BERT
/// ([CLS] stays first) and 0 for T5. Built with index gathers over the whole batch; with a one-hot choice g the
/// embeddings are Σ_j g_j X_j (straight-through) and the mask/types follow the detached choice.
/// Position ids are left to the backbone, which numbers the assembled sequence 0..L+n−1 (plus its family offset).
/// </summary>
public sealed class PromptAssembler
{
    public PromptAssembler(int promptLength, bool keepLeadingToken)
    {
        if (promptLength < 1) throw new ArgumentException($"Prompt length must be ≥ 1, got {promptLength}.", nameof(promptLength));
        PromptLength = promptLength;
        Lead = keepLeadingToken ? 1 : 0;
    }

    public int PromptLength { get; }

    /// <summary>How many leading tokens of x stay in front of the prompt ([CLS] for BERT: 1; T5: 0).</summary>
    public int Lead { get; }

    /// <param name="tokens">Word embeddings of the unprompted input [B, L, d], closing token at each row's len−1.</param>
    /// <param name="mask">The input's attention mask [B, L] (real tokens 1, padding 0).</param>
    /// <param name="tokenTypes">Token types [B, L] or null; prompt rows get type 0.</param>
    /// <param name="prompt">Prompt rows per instance [B, n, d].</param>
    /// <param name="keep">Keep mask [B, n] (exact 0/1, straight-through) or null for all rows kept.</param>
    public AssembledInput Assemble(Tensor tokens, Tensor mask, Tensor? tokenTypes, Tensor prompt, PromptSplit split, Tensor? keep = null)
    {
        int n = PromptLength;
        long batch = tokens.shape[0], length = tokens.shape[1], dim = tokens.shape[2];
        if (prompt.shape[0] != batch || prompt.shape[1] != n || prompt.shape[2] != dim)
            throw new ArgumentException($"Prompt rows must be [{batch}, {n}, {dim}], got [{string.Join(", ", prompt.shape)}].", nameof(prompt));
        var device = tokens.device;

        using var scope = NewDisposeScope();
        var lens = mask.to(ScalarType.Int64).sum(1); // [B]
        var rows = keep is null ? prompt : prompt * keep.unsqueeze(-1).to(prompt.dtype);
        var source = torch.cat([tokens, rows.to(tokens.dtype)], dim: 1); // [B, L+n, d]
        var promptMask = keep is null ? torch.ones(batch, n, dtype: ScalarType.Float32, device: device) : keep.detach().to(ScalarType.Float32);
        var sourceMask = torch.cat([mask.to(ScalarType.Float32), promptMask], dim: 1);
        var sourceTypes = tokenTypes is null ? null
            : torch.cat([tokenTypes.to(ScalarType.Int64), torch.zeros(batch, n, dtype: ScalarType.Int64, device: device)], dim: 1);

        Tensor hardSplit; // [B] split per row
        Tensor? softChoice = null;
        switch (split)
        {
            case PromptSplit.Fixed f:
                if (f.Split < 0 || f.Split > n) throw new ArgumentOutOfRangeException(nameof(split), f.Split, $"A split must lie in 0..{n}.");
                hardSplit = torch.full(batch, f.Split, dtype: ScalarType.Int64, device: device);
                break;
            case PromptSplit.PerInstance p:
                hardSplit = p.Splits.to(ScalarType.Int64);
                break;
            case PromptSplit.OneHot o:
                if (o.Choice.shape[^1] != n + 1) throw new ArgumentException($"A split choice has n+1 = {n + 1} entries, got {o.Choice.shape[^1]}.", nameof(split));
                softChoice = o.Choice;
                hardSplit = o.Choice.detach().argmax(-1);
                break;
            default:
                throw new ArgumentException($"Unknown split {split}.", nameof(split));
        }

        // The arrangement chosen per row: an exact gather.
        var index = SourceIndex(hardSplit.view(batch, 1), lens.view(batch, 1), length, n); // [B, T]
        var embeds = source.gather(1, index.unsqueeze(-1).expand(-1, -1, dim));
        var outMask = sourceMask.gather(1, index);
        var outTypes = sourceTypes?.gather(1, index);

        // Without gradients (evaluation) the straight-through term is exactly zero: skip building it.
        if (softChoice is { requires_grad: true })
        {
            // Straight-through: Σ_j g_j X_j = X_{j*} + Σ_j (g_j − detach(g_j)) X_j. The second term is exactly zero in
            // the forward pass and gives each split logit the gradient <dL/dE, X_j>. All n+1 arrangements are one
            // scatter into a [B, T, L+n] selection matrix and one bmm, no loop over splits or rows.
            long total = length + n;
            var splits = torch.arange(n + 1, dtype: ScalarType.Int64, device: device).view(1, n + 1, 1);
            var all = SourceIndex(splits, lens.view(batch, 1, 1), length, n); // [B, n+1, T]
            var positions = torch.arange(total, dtype: ScalarType.Int64, device: device).view(1, 1, total);
            var flat = (positions * total + all).view(batch, -1);
            var delta = (softChoice - softChoice.detach()).to(source.dtype);
            var weights = delta.unsqueeze(-1).expand(-1, -1, total).reshape(batch, -1);
            var select = torch.zeros(batch, total * total, dtype: source.dtype, device: device)
                .scatter_add(1, flat, weights).view(batch, total, total);
            embeds = embeds + torch.bmm(select, source);
        }

        return new AssembledInput(embeds.MoveToOuterDisposeScope(), outMask.MoveToOuterDisposeScope(), outTypes?.MoveToOuterDisposeScope(),
            index.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// For output position t (0..L+n−1), split j and input length len: the row of [x; P] (x rows 0..L−1, prompt rows
    /// L..L+n−1) that goes there. Broadcasts over any shapes of <paramref name="split"/> and <paramref name="lens"/>
    /// with t on the last axis.
    /// </summary>
    internal Tensor SourceIndex(Tensor split, Tensor lens, long length, int n)
    {
        long a = Lead;
        var t = torch.arange(length + n, dtype: ScalarType.Int64, device: split.device);
        var closing = lens - 1 + n;           // where the closing token lands
        var tailStart = closing - split;      // P[:j] starts here
        var idx = MetaFallback.Where(t < closing, length + t - tailStart, t - n);   // P[:j], then closing token and padding
        idx = MetaFallback.Where(t < tailStart, t - n + split, idx);                // x[a .. len−1)
        idx = MetaFallback.Where(t < a + n - split, length + split + t - a, idx);   // P[j:]
        return MetaFallback.Where(t < a, t, idx);                                   // leading [CLS]
    }
}
