namespace DP.Runtime.Tokenization;

/// <summary>
/// Hugging Face's "longest_first" truncation of a text pair (the fast tokenizers' rule): when the two sequences
/// exceed the budget, the longer one is cut first; if both still do not fit, each gets half the budget and the
/// originally longer one (the second on a tie) gets the odd token. Tokens are removed from the end.
/// </summary>
public static class PairTruncation
{
    /// <summary>Lengths to keep of sequences of lengths <paramref name="first"/> and <paramref name="second"/>.</summary>
    public static (int First, int Second) LongestFirst(int first, int second, int budget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        if (first + second <= budget) return (first, second);
        bool swapped = first > second;
        int shorter = swapped ? second : first;
        int longer = shorter > budget ? shorter : Math.Max(shorter, budget - shorter);
        if (shorter + longer > budget)
        {
            shorter = budget / 2;
            longer = shorter + budget % 2;
        }
        return swapped ? (longer, shorter) : (shorter, longer);
    }
}
