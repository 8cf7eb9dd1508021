using System.Text;
using DP.Runtime.Tokenization;

namespace DP.Runtime.Tests.Data;

/// <summary>
/// A tiny deterministic tokenizer for data tests: lower-cased words and punctuation marks, each hashed (FNV-1a)
/// into a fixed vocabulary, with BERT-style [CLS] a [SEP] b [SEP] and longest-first truncation.
/// </summary>
public sealed class TestTokenizer(int vocabSize = 1000) : ITextTokenizer
{
    const int Pad = 0, Cls = 1, Sep = 2, Unk = 3, Mask = 4, FirstWord = 5;

    public SpecialTokens Special { get; } = new(Pad, Cls, Sep, Unk, Mask);
    public int VocabSize => vocabSize;

    public int[] EncodeWords(string text)
    {
        var ids = new List<int>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length == 0) return;
            ids.Add(word.ToString() == "[mask]" ? Mask : Hash(word.ToString()));
            word.Clear();
        }
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsWhiteSpace(c)) Flush();
            else if (char.IsPunctuation(c) && c != '[' && c != ']') { Flush(); ids.Add(Hash(c.ToString())); }
            else word.Append(c);
        }
        Flush();
        return ids.ToArray();
    }

    int Hash(string s)
    {
        uint h = 2166136261;
        foreach (var c in s) h = (h ^ c) * 16777619;
        return FirstWord + (int)(h % (uint)(vocabSize - FirstWord));
    }

    public EncodedText Encode(string text, string? pair = null, int maxLength = 512)
    {
        var a = EncodeWords(text).ToList();
        var b = pair is null ? null : EncodeWords(pair).ToList();
        var budget = maxLength - (b is null ? 2 : 3);
        while (a.Count + (b?.Count ?? 0) > budget)
        {
            if (b is not null && b.Count > a.Count) b.RemoveAt(b.Count - 1);
            else a.RemoveAt(a.Count - 1);
        }
        var ids = new List<int> { Cls };
        ids.AddRange(a);
        ids.Add(Sep);
        var types = Enumerable.Repeat(0, ids.Count).ToList();
        if (b is not null)
        {
            ids.AddRange(b);
            ids.Add(Sep);
            types.AddRange(Enumerable.Repeat(1, b.Count + 1));
        }
        return new EncodedText(ids.ToArray(), types.ToArray());
    }

    public string Decode(IEnumerable<int> ids) =>
        string.Join(" ", ids.Select(i => i switch { Pad => "[PAD]", Cls => "[CLS]", Sep => "[SEP]", Unk => "[UNK]", Mask => "[MASK]", _ => $"w{i}" }));
}

/// <summary>A temporary folder for test data files, deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dp-data-").FullName;

    public string Write(string name, params string[] lines)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllLines(file, lines);
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
