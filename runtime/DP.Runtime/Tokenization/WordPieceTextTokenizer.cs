using System.Text;
using Microsoft.ML.Tokenizers;

namespace DP.Runtime.Tokenization;

/// <summary>
/// BERT's WordPiece tokenizer over a vocab.txt, through Microsoft.ML.Tokenizers' BertTokenizer (basic tokenization,
/// optional lower-casing and accent stripping, Chinese characters split, ## continuation pieces). Adds the special
/// tokens as Hugging Face BERT does: [CLS] a [SEP] for one text, [CLS] a [SEP] b [SEP] with token types 0…0 1…1 for a pair.
/// </summary>
public sealed class WordPieceTextTokenizer : ITextTokenizer
{
    private readonly BertTokenizer _bert;

    public SpecialTokens Special { get; }
    public int VocabSize { get; }

    /// <summary>Whether text is lower-cased and stripped of accents first (true for uncased models such as MiniLM).</summary>
    public bool LowerCase { get; }

    private WordPieceTextTokenizer(BertTokenizer bert, int vocabSize, bool lowerCase)
    {
        _bert = bert;
        VocabSize = vocabSize;
        LowerCase = lowerCase;
        Special = new SpecialTokens(Pad: bert.PaddingTokenId, Cls: bert.ClassificationTokenId, Sep: bert.SeparatorTokenId,
            Unk: bert.UnknownTokenId, Mask: bert.MaskingTokenId);
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
        var lines = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Split('\n');
        int size = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        foreach (var (token, line) in new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Select(t => (t, Array.FindIndex(lines, l => l.TrimEnd('\r') == t))))
            if (line < 0) throw new InvalidDataException($"{source}: the WordPiece vocabulary has no '{token}' line.");

        buffer.Position = 0;
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            RemoveNonSpacingMarks = lowerCase, // HF: strip_accents follows do_lower_case unless set
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
            SplitOnSpecialTokens = true,
        };
        return new WordPieceTextTokenizer(BertTokenizer.Create(buffer, options), size, lowerCase);
    }

    public int[] EncodeWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bert.EncodeToIds(text, addSpecialTokens: false).ToArray();
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

    /// <summary>Text of the ids, WordPiece pieces joined; special tokens are kept (as HF's decode does by default).</summary>
    public string Decode(IEnumerable<int> ids) => _bert.Decode(ids, skipSpecialTokens: false) ?? "";
}
