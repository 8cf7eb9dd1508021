using DP.Runtime.Tokenization;
using DP.Runtime.Weights.HuggingFace;
using Xunit;

namespace DP.Runtime.Tests.T5;

public class T5TokenizerTests
{
    // assets/tiny_spiece.model: 200 pieces, trained by assets/make_tiny_spiece.py (T5 settings: unigram, nmt_nfkc).
    internal static readonly string ModelPath = Path.Combine(AppContext.BaseDirectory, "T5", "assets", "tiny_spiece.model");

    private static SentencePieceT5Tokenizer Load() => SentencePieceT5Tokenizer.FromFile(ModelPath);

    // Ids from python sentencepiece 0.1.97 on the same model (SentencePieceProcessor.encode), without </s>.
    public static TheoryData<string, int[]> PythonReference => new()
    {
        { "The quick brown fox jumps over the lazy dog.", [15, 16, 98, 53, 72, 10, 163, 172, 3, 188, 64, 25, 4, 52, 85, 3, 7, 51, 96, 11, 111, 5] },
        { "Is the premise enough? Yes or no.", [3, 183, 4, 3, 7, 48, 17, 132, 134, 3, 47, 104, 91, 3, 187, 22, 3, 32, 145, 5] },
        { "Numbers like 42 and 3.14", [3, 185, 64, 49, 55, 4, 114, 57, 3, 90, 59, 8, 18, 3, 177, 5, 176, 90] },
        { "  extra   spaces  here ", [3, 122, 9, 12, 199, 3, 4, 25, 69, 22, 3, 16, 17] },
        { "Ｆｕｌｌｗｉｄｔｈ letters and café", [3, 174, 23, 30, 30, 155, 150, 20, 50, 3, 46, 9, 84, 4, 8, 18, 44, 198, 2] },
        { "zebra xylophone", [3, 96, 6, 142, 199, 3, 172, 11, 30, 135, 144, 81] },
        { "sentence1: A man is eating. sentence2: Someone eats.", [99, 176, 2, 3, 180, 33, 10, 3, 36, 3, 6, 13, 83, 5, 99, 59, 2, 3, 190, 19, 26, 6, 81, 3, 6, 13, 4, 5] },
        { "yes", [3, 11, 22] },
        { "no", [145] },
        { "Tab\tand\nnewline", [15, 199, 49, 8, 18, 3, 10, 6, 155, 30, 150, 10, 6] },
        { "ﬁ ligature ① ²", [89, 150, 114, 35, 13, 23, 17, 3, 176, 3, 59] },
    };

    [Theory]
    [MemberData(nameof(PythonReference))]
    public void WordIdsMatchPythonSentencePiece(string text, int[] expected)
    {
        var tokenizer = Load();
        Assert.Equal(expected, tokenizer.EncodeWords(text));
        Assert.Equal([.. expected, 1], tokenizer.Encode(text).Ids);
    }

    [Fact]
    public void SpecialTokensFollowT5()
    {
        var tokenizer = Load();
        Assert.Equal(0, tokenizer.Special.Pad);
        Assert.Equal(1, tokenizer.Special.Sep);
        Assert.Equal(2, tokenizer.Special.Unk);
        Assert.Null(tokenizer.Special.Cls);
        Assert.Equal(300, tokenizer.VocabSize); // 200 pieces + 100 sentinels
        Assert.Equal(299, tokenizer.SentinelId(0));
        Assert.Equal(200, tokenizer.SentinelId(99));
        Assert.Equal(299, tokenizer.Special.Mask);
    }

    [Fact]
    public void OrdinaryTokensAreThePiecesWithoutSpecialsOrSentinels()
    {
        ITextTokenizer tokenizer = Load();
        Assert.Equal(Enumerable.Range(3, 197), tokenizer.OrdinaryTokenIds()); // <pad> </s> <unk> = 0, 1, 2; sentinels 200..299
    }

    [Fact]
    public void SingleTextEndsWithEosAndHasNoBos()
    {
        var encoded = Load().Encode("no");
        Assert.Equal([145, 1], encoded.Ids);
        Assert.Equal([0, 0], encoded.TokenTypeIds);
    }

    [Fact]
    public void PairIsClosedByEosAfterEachText()
    {
        var encoded = Load().Encode("no", "yes");
        Assert.Equal([145, 1, 3, 11, 22, 1], encoded.Ids);
        Assert.All(encoded.TokenTypeIds, t => Assert.Equal(0, t));
    }

    [Fact]
    public void TruncationIsLongestFirstAndKeepsEos()
    {
        var tokenizer = Load();
        int[] first = tokenizer.EncodeWords("The quick brown fox jumps over the lazy dog."); // 22 ids
        int[] second = tokenizer.EncodeWords("Is the premise enough?"); // fewer
        var single = tokenizer.Encode("The quick brown fox jumps over the lazy dog.", maxLength: 6);
        Assert.Equal([.. first[..5], 1], single.Ids);

        var pair = tokenizer.Encode("The quick brown fox jumps over the lazy dog.", "Is the premise enough?", maxLength: 12);
        // 10 word ids fit: the longer first text is cut down to the second's length, then they alternate, second first.
        Assert.Equal([.. first[..5], 1, .. second[..5], 1], pair.Ids);
        var uneven = tokenizer.Encode("The quick brown fox jumps over the lazy dog.", "no", maxLength: 8);
        Assert.Equal([.. first[..5], 1, 145, 1], uneven.Ids);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Encode("a", "b", maxLength: 1));
    }

    [Fact]
    public void SentinelsAndEosInTextBecomeTheirIds()
    {
        var tokenizer = Load();
        Assert.Equal([145, 299, 3, 11, 22, 298], tokenizer.EncodeWords("no <extra_id_0> yes<extra_id_1>"));
        Assert.Equal([145, 1], tokenizer.EncodeWords("no</s>"));
        // Beyond the 100 sentinels the text is ordinary text.
        Assert.DoesNotContain(tokenizer.EncodeWords("<extra_id_100>"), id => id >= 200);
    }

    [Fact]
    public void DecodeSkipsPadAndEosAndWritesSentinels()
    {
        var tokenizer = Load();
        var ids = tokenizer.Encode("The quick brown fox jumps over the lazy dog.").Ids;
        Assert.Equal("The quick brown fox jumps over the lazy dog.", tokenizer.Decode(ids));
        Assert.Equal("<extra_id_0> no", tokenizer.Decode([0, 299, 145, 1, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([300]));
    }

    [Fact]
    public void LoadsFromAHuggingFaceFolder()
    {
        var folder = Directory.CreateTempSubdirectory("dp-t5-tok").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), """{ "model_type": "t5" }""");
            File.Copy(ModelPath, Path.Combine(folder, "spiece.model"));
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{ "extra_ids": 10 }""");
            var tokenizer = HuggingFaceFolder.LoadTokenizer(folder);
            Assert.Equal(210, tokenizer.VocabSize);
            Assert.Equal([145, 1], tokenizer.Encode("no").Ids);
            Assert.Equal(209, tokenizer.Special.Mask);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void NotASentencePieceModelIsAClearError()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "this is not a protobuf model");
            var error = Assert.Throws<InvalidDataException>(() => SentencePieceT5Tokenizer.FromFile(path));
            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
