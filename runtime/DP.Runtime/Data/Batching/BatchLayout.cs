namespace DP.Runtime.Data.Batching;

/// <summary>
/// How the examples of a batch become tensors: padded with <see cref="PadId"/> to the longest row, rounded up to a
/// multiple of <see cref="WidthMultiple"/> but never past <see cref="MaxWidth"/>; multiple-choice batches hold one row
/// per candidate. Rounding keeps the number of distinct tensor shapes small, so the allocator can reuse freed
/// blocks instead of growing the heap with every new length (and GEMM kernels get aligned sizes).
/// </summary>
public sealed record BatchLayout(int PadId, bool MultipleChoice, int WidthMultiple = 1, int MaxWidth = int.MaxValue)
{
    /// <summary>The padded width of a batch whose longest row has <paramref name="longest"/> tokens.</summary>
    public int Width(int longest)
    {
        if (WidthMultiple <= 1) return longest;
        int rounded = (longest + WidthMultiple - 1) / WidthMultiple * WidthMultiple;
        return Math.Max(longest, Math.Min(rounded, MaxWidth));
    }
}
