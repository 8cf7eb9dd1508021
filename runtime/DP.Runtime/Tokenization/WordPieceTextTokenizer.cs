using System.Text;
using Microsoft.ML.Tokenizers;

namespace DP.Runtime.Tokenization;

/// <summary>
/// BERT's WordPiece tokenizer over a vocab.txt, matching Hugging Face's fast BERT tokenizer: special tokens written in
/// the text ([MASK], [SEP], …) are kept whole, the rest is normalized (<see cref="WordPieceNormalizer"/>), split into
/// words and punctuation (<see cref="WordPiecePreTokenizer"/>) and each word into ## pieces by Microsoft.ML.Tokenizers'
/// WordPieceTokenizer (greedy longest match, [UNK] for words it cannot cover or longer than 100 characters).
/// Special tokens are placed as HF BERT does: [CLS] a [SEP] for one text, [CLS] a [SEP] b [SEP] with token types
/// 0…0 1…1 for a pair.
/// </summary>
public sealed class WordPieceTextTokenizer : ITextTokenizer
{
    private static readonly string[] SpecialTokenTexts = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly WordPieceTokenizer _wordPiece;
    private readonly (string Text, int Id)[] _specials;
    private readonly string[] _tokens; // id → vocabulary line

    public SpecialTokens Special { get; }
    public int VocabSize { get; }

    /// <summary>Whether text is lower-cased and stripped of accents first (true for uncased models such as MiniLM).</summary>
    public bool LowerCase { get; }

    private WordPieceTextTokenizer(WordPieceTokenizer wordPiece, IReadOnlyDictionary<string, int> specials, string[] tokens, bool lowerCase)
    {
        _wordPiece = wordPiece;
        _specials = specials.Select(kv => (kv.Key, kv.Value)).ToArray();
        _tokens = tokens;
        VocabSize = tokens.Length;
        LowerCase = lowerCase;
        Special = new SpecialTokens(Pad: specials["[PAD]"], Cls: specials["[CLS]"], Sep: specials["[SEP]"],
            Unk: specials["[UNK]"], Mask: specials["[MASK]"]);
    }

    /// <param name="lowerCase">true for uncased vocabularies (lower-cases and strips accents, like HF do_lower_case).</param>
    public static WordPieceTextTokenizer FromVocabFile(string path, bool lowerCase = true)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"WordPiece vocabulary '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return FromVocab(stream, path, lowerCase);
    }

    /// <param name="source">Names the vocabulary in errors.</param>
    public static WordPieceTextTokenizer FromVocab(Stream vocab, string source, bool lowerCase = true)
    {
        using var buffer = new MemoryStream();
        vocab.CopyTo(buffer);
        var lines = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        var specials = new Dictionary<string, int>();
        foreach (var token in SpecialTokenTexts)
        {
            int line = Array.IndexOf(lines, token);
            if (line < 0) throw new InvalidDataException($"{source}: the WordPiece vocabulary has no '{token}' line.");
            specials[token] = line;
        }

        buffer.Position = 0;
        var wordPiece = WordPieceTokenizer.Create(buffer, new WordPieceOptions
        {
            Normalizer = new WordPieceNormalizer(lowerCase),
            PreTokenizer = new WordPiecePreTokenizer(),
            UnknownToken = "[UNK]",
        });
        return new WordPieceTextTokenizer(wordPiece, specials, lines, lowerCase);
    }

    /// <summary>Every vocabulary entry except the bracketed ones ([PAD], [CLS], [unused0], ...).</summary>
    public int[] OrdinaryTokenIds() => Enumerable.Range(0, _tokens.Length)
        .Where(id => !(_tokens[id].StartsWith('[') && _tokens[id].EndsWith(']')))
        .ToArray();

    public int[] EncodeWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        int at = 0;
        while (at < text.Length)
        {
            var (index, special) = NextSpecial(text, at);
            int end = index < 0 ? text.Length : index;
            if (end > at) ids.AddRange(_wordPiece.EncodeToIds(text[at..end]));
            if (index < 0) break;
            ids.Add(special.Id);
            at = index + special.Text.Length;
        }
        return ids.ToArray();
    }

    /// <summary>The leftmost special token written in the text from <paramref name="from"/> on (matched before normalization, as HF does).</summary>
    private (int Index, (string Text, int Id) Special) NextSpecial(string text, int from)
    {
        int best = -1;
        (string Text, int Id) found = default;
        foreach (var s in _specials)
        {
            int i = text.IndexOf(s.Text, from, StringComparison.Ordinal);
            if (i >= 0 && (best < 0 || i < best)) (best, found) = (i, s);
        }
        return (best, found);
    }

    public EncodedText Encode(string text, string? pair = null, int maxLength = 512)
    {
        int specials = pair is null ? 2 : 3;
        if (maxLength < specials)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"maxLength must leave room for the {specials} special tokens.");
        var a = EncodeWords(text);
        var b = pair is null ? [] : EncodeWords(pair);
        var (keepA, keepB) = PairTruncation.LongestFirst(a.Length, b.Length, maxLength - specials);

        var ids = new List<int>(keepA + keepB + specials) { Special.Cls!.Value };
        ids.AddRange(a.AsSpan(0, keepA));
        ids.Add(Special.Sep);
        int firstSegment = ids.Count;
        if (pair is not null)
        {
            ids.AddRange(b.AsSpan(0, keepB));
            ids.Add(Special.Sep);
        }
        var types = new int[ids.Count];
        Array.Fill(types, 1, firstSegment, ids.Count - firstSegment);
        return new EncodedText(ids.ToArray(), types);
    }

    /// <summary>
    /// Text of the ids as Hugging Face's BERT decode gives it (special tokens kept, clean-up of tokenization spaces on):
    /// ## pieces join their word, other tokens are separated by a space, and spaces before . ? ! , and in
    /// contractions (n't 's 'm 've 're) are removed.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_tokens.Length)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary (0..{_tokens.Length - 1}).");
            var token = _tokens[id];
            if (sb.Length > 0 && token.StartsWith("##", StringComparison.Ordinal)) sb.Append(token, 2, token.Length - 2);
            else (sb.Length > 0 ? sb.Append(' ') : sb).Append(token);
        }
        return sb.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
            .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re")
            .ToString();
    }
}
