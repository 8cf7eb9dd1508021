using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace DP.Runtime.Tokenization;

/// <summary>
/// BERT pre-tokenization (Hugging Face's BertPreTokenizer): split normalized text on whitespace and make every
/// punctuation character a word of its own. Punctuation is every printable non-alphanumeric ASCII character
/// (so $ ^ ` + = &lt; &gt; | ~ count) and every Unicode P* character. Hand-written because Microsoft.ML.Tokenizers'
/// BertTokenizer drops Unicode symbols such as $ + ` ° © instead (dotnet/machinelearning#7725).
/// </summary>
public sealed class WordPiecePreTokenizer : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    private static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var words = new List<(int, int)>();
        int start = -1, i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text[i..], out var rune, out int width);
            if (Rune.IsWhiteSpace(rune) || IsPunctuation(rune))
            {
                if (start >= 0) words.Add((start, i - start));
                start = -1;
                if (!Rune.IsWhiteSpace(rune)) words.Add((i, width));
            }
            else if (start < 0)
            {
                start = i;
            }
            i += width;
        }
        if (start >= 0) words.Add((start, text.Length - start));
        return words;
    }

    internal static bool IsPunctuation(Rune r) =>
        r.Value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)
        || Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
