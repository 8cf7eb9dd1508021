using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace DP.Runtime.Tokenization;

/// <summary>
/// The T5 tokenizer: a SentencePiece (unigram) model from spiece.model, run by Microsoft.ML.Tokenizers, plus
/// T5's conventions as in transformers' T5Tokenizer (legacy mode):
/// <list type="bullet">
/// <item>no BOS; &lt;/s&gt; closes every sequence; pad is id 0;</item>
/// <item>a pair is encoded as transformers does, "a &lt;/s&gt; b &lt;/s&gt;" (T5 prompts usually put both texts in
/// one template string instead, which gives "a b &lt;/s&gt;"); token type ids are all zero;</item>
/// <item>100 sentinels &lt;extra_id_0&gt;…&lt;extra_id_99&gt; follow the SentencePiece vocabulary in reverse order
/// (&lt;extra_id_0&gt; is the last id); &lt;extra_id_0&gt; is reported as the mask token because T5 fills a blank
/// with it;</item>
/// <item>special tokens written in the text (&lt;/s&gt;, &lt;pad&gt;, &lt;unk&gt;, sentinels) become their ids; the text
/// between them is encoded piece by piece, each piece with SentencePiece's leading-space marker (legacy);</item>
/// <item>truncation is Hugging Face's longest-first (<see cref="PairTruncation"/>): tokens are dropped from the end
/// of the longer text until the ids, special tokens included, fit.</item>
/// </list>
/// </summary>
public sealed class SentencePieceT5Tokenizer : ITextTokenizer
{
    private static readonly Regex SpecialPattern = new(@"</s>|<pad>|<unk>|<extra_id_(\d+)>", RegexOptions.CultureInvariant);

    private readonly SentencePieceTokenizer _sp;
    private readonly int _pieceCount;
    private readonly int _extraIds;

    public SpecialTokens Special { get; }

    /// <summary>SentencePiece pieces plus sentinels (the model's embedding table may be larger, e.g. 32128).</summary>
    public int VocabSize => _pieceCount + _extraIds;

    /// <summary>The underlying Microsoft.ML.Tokenizers model.</summary>
    public SentencePieceTokenizer Inner => _sp;

    private SentencePieceT5Tokenizer(SentencePieceTokenizer sp, int pieceCount, int extraIds, string source)
    {
        _sp = sp;
        _extraIds = extraIds;
        _pieceCount = pieceCount;
        int Require(string piece, int expected)
        {
            if (!sp.Vocabulary.TryGetValue(piece, out int id))
                throw new InvalidDataException($"{source}: the SentencePiece model has no '{piece}' piece; T5 needs it (id {expected}).");
            return id;
        }
        int pad = Require("<pad>", 0);
        int eos = Require("</s>", 1);
        int unk = Require("<unk>", 2);
        Special = new SpecialTokens(Pad: pad, Cls: null, Sep: eos, Unk: unk, Mask: extraIds > 0 ? SentinelId(0) : null);
    }

    /// <summary>Reads a spiece.model; <paramref name="extraIds"/> is tokenizer_config.json's extra_ids (100 for T5).</summary>
    public static SentencePieceT5Tokenizer FromFile(string path, int extraIds = 100)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model not found: {path}", path);
        using var stream = File.OpenRead(path);
        return FromStream(stream, extraIds, path);
    }

    public static SentencePieceT5Tokenizer FromStream(Stream stream, int extraIds = 100, string source = "spiece.model")
    {
        if (extraIds < 0) throw new ArgumentOutOfRangeException(nameof(extraIds), extraIds, "extra_ids must be zero or more.");
        SentencePieceTokenizer sp;
        int pieceCount;
        try
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            (var model, pieceCount) = SentencePieceModelProto.Prepare(copy.ToArray());
            using var prepared = new MemoryStream(model, writable: false);
            sp = SentencePieceTokenizer.Create(prepared, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{source}: not a readable SentencePiece model ({e.Message}).", e);
        }
        return new SentencePieceT5Tokenizer(sp, pieceCount, extraIds, source);
    }

    /// <summary>The SentencePiece pieces except &lt;pad&gt;, &lt;/s&gt; and &lt;unk&gt;: no sentinels, no embedding rows past the vocabulary.</summary>
    public int[] OrdinaryTokenIds() => Enumerable.Range(0, _pieceCount)
        .Where(id => id != Special.Pad && id != Special.Sep && id != Special.Unk)
        .ToArray();

    /// <summary>Id of &lt;extra_id_<paramref name="index"/>&gt;.</summary>
    public int SentinelId(int index)
    {
        if (index < 0 || index >= _extraIds)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"This tokenizer has {_extraIds} sentinels.");
        return _pieceCount + _extraIds - 1 - index;
    }

    public EncodedText Encode(string text, string? pair = null, int maxLength = 512)
    {
        int[] first = EncodeWords(text);
        int[]? second = pair is null ? null : EncodeWords(pair);
        int specials = second is null ? 1 : 2;
        int budget = maxLength - specials;
        if (budget < 0)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"maxLength must leave room for {specials} </s> token(s).");
        if (second is null)
        {
            first = first[..Math.Min(first.Length, budget)];
        }
        else
        {
            var (keepFirst, keepSecond) = PairTruncation.LongestFirst(first.Length, second.Length, budget);
            first = first[..keepFirst];
            second = second[..keepSecond];
        }
        var ids = new List<int>(first.Length + (second?.Length ?? 0) + specials);
        ids.AddRange(first);
        ids.Add(Special.Sep);
        if (second is not null)
        {
            ids.AddRange(second);
            ids.Add(Special.Sep);
        }
        return new EncodedText([.. ids], new int[ids.Count]);
    }

    public int[] EncodeWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        int start = 0;
        foreach (Match m in SpecialPattern.Matches(text))
        {
            if (!TrySpecialId(m, out int specialId)) continue; // e.g. <extra_id_500> on a 100-sentinel vocabulary: plain text
            AddPiece(text[start..m.Index], ids);
            ids.Add(specialId);
            start = m.Index + m.Length;
        }
        AddPiece(text[start..], ids);
        return [.. ids];
    }

    private void AddPiece(string piece, List<int> ids)
    {
        if (piece.Length == 0) return;
        ids.AddRange(_sp.EncodeToIds(piece, addBeginningOfSentence: false, addEndOfSentence: false,
            considerPreTokenization: true, considerNormalization: true));
    }

    private bool TrySpecialId(Match m, out int id)
    {
        switch (m.Value)
        {
            case "</s>": id = Special.Sep; return true;
            case "<pad>": id = Special.Pad; return true;
            case "<unk>": id = Special.Unk ?? 2; return true;
        }
        if (int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < _extraIds)
        {
            id = SentinelId(index);
            return true;
        }
        id = -1;
        return false;
    }

    /// <summary>Text of <paramref name="ids"/>; pad and &lt;/s&gt; are skipped, sentinels are written as &lt;extra_id_N&gt;.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        void Flush()
        {
            if (run.Count == 0) return;
            if (text.Length > 0) text.Append(' ');
            text.Append(_sp.Decode(run, considerSpecialTokens: false));
            run.Clear();
        }
        foreach (int id in ids)
        {
            if (id == Special.Pad || id == Special.Sep) continue;
            if (id >= _pieceCount && id < VocabSize)
            {
                Flush();
                if (text.Length > 0) text.Append(' ');
                text.Append("<extra_id_").Append((VocabSize - 1 - id).ToString(CultureInfo.InvariantCulture)).Append('>');
                continue;
            }
            if (id < 0 || id >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id outside the vocabulary of {VocabSize}.");
            run.Add(id);
        }
        Flush();
        return text.ToString();
    }
}
