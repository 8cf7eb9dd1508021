using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace DP.Runtime.Tokenization;

/// <summary>
/// BERT text normalization as Hugging Face's tokenizers apply it (BertNormalizer), in its order: drop NUL, U+FFFD and
/// control/format/unassigned/private-use characters (tab, newline and carriage return count as whitespace), turn every
/// whitespace into a space, put spaces around CJK ideographs, then — for uncased models — strip accents (NFD, drop
/// non-spacing marks) and lower-case. Hand-written because Microsoft.ML.Tokenizers' BertTokenizer deletes \t \n \r
/// instead of treating them as spaces (dotnet/machinelearning#7724).
/// </summary>
public sealed class WordPieceNormalizer(bool lowerCase) : Normalizer
{
    public bool LowerCase { get; } = lowerCase;

    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        var sb = new StringBuilder(original.Length + 8);
        foreach (var rune in original.EnumerateRunes())
        {
            if (rune.Value is 0 or 0xFFFD) continue;
            bool tabOrNewline = rune.Value is '\t' or '\n' or '\r';
            if (!tabOrNewline && IsOther(Rune.GetUnicodeCategory(rune))) continue;
            if (tabOrNewline || Rune.IsWhiteSpace(rune)) { sb.Append(' '); continue; }
            if (IsCjkIdeograph(rune.Value)) { sb.Append(' ').Append(rune.ToString()).Append(' '); continue; }
            sb.Append(rune.ToString());
        }
        if (!LowerCase) return sb.ToString();

        var decomposed = sb.ToString().Normalize(NormalizationForm.FormD);
        var stripped = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) stripped.Append(rune.ToString());
        return stripped.ToString().ToLowerInvariant();
    }

    private static bool IsOther(UnicodeCategory c) => c is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    /// <summary>The CJK Unified Ideographs blocks (and compatibility blocks) BERT splits into single characters.</summary>
    internal static bool IsCjkIdeograph(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B920 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
