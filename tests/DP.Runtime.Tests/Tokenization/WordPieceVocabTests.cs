using DP.Runtime.Tokenization;
using Xunit;

namespace DP.Runtime.Tests.Tokenization;

/// <summary>A tokenizer over a small hand-written vocabulary file.</summary>
public sealed class WordPieceVocabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dp-wordpiece-").FullName;

    private string WriteVocab(params string[] tokens)
    {
        var path = Path.Combine(_dir, "vocab.txt");
        File.WriteAllLines(path, tokens);
        return path;
    }

    private static readonly string[] Specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    [Fact]
    public void IdsAreLineNumbers()
    {
        var tok = WordPieceTextTokenizer.FromVocabFile(WriteVocab([.. Specials, "play", "##ing", "##ed", "cat", "."]));
        Assert.Equal(10, tok.VocabSize);
        Assert.Equal(new SpecialTokens(0, 2, 3, 1, 4), tok.Special);
        Assert.Equal([2, 5, 6, 8, 9, 3], tok.Encode("Playing cat.").Ids);
        Assert.Equal([5, 7, 1], tok.EncodeWords("played dog")); // unknown word → [UNK]
    }

    [Fact]
    public void OrdinaryTokensLeaveOutBracketedEntries()
    {
        ITextTokenizer tok = WordPieceTextTokenizer.FromVocabFile(WriteVocab([.. Specials, "[unused0]", "play", "##ing"]));
        Assert.Equal([6, 7], tok.OrdinaryTokenIds());
    }

    [Fact]
    public void CasedVocabularyKeepsCase()
    {
        var tok = WordPieceTextTokenizer.FromVocabFile(WriteVocab([.. Specials, "Cat", "cat"]), lowerCase: false);
        Assert.Equal([5, 6], tok.EncodeWords("Cat cat"));
    }

    [Fact]
    public void VocabularyWithoutASpecialTokenIsAnError()
    {
        var path = WriteVocab("[PAD]", "[UNK]", "[SEP]", "[MASK]", "cat");
        var e = Assert.Throws<InvalidDataException>(() => WordPieceTextTokenizer.FromVocabFile(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("[CLS]", e.Message);
    }

    [Fact]
    public void MissingVocabularyFileIsNamed()
    {
        var path = Path.Combine(_dir, "nope.txt");
        var e = Assert.Throws<FileNotFoundException>(() => WordPieceTextTokenizer.FromVocabFile(path));
        Assert.Contains(path, e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
