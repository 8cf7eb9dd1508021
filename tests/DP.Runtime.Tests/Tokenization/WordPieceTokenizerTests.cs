using DP.Runtime.Backbones;
using DP.Runtime.Tokenization;
using Xunit;

namespace DP.Runtime.Tests.Tokenization;

/// <summary>
/// The packaged MiniLM vocabulary. Expected ids were looked up by hand in its vocab.txt and agree with Hugging Face's
/// tokenizers (BertNormalizer + BertPreTokenizer + WordPiece over the same vocab.txt).
/// </summary>
public class WordPieceTokenizerTests
{
    private static readonly Lazy<ITextTokenizer> MiniLm = new(() => PackagedModels.LoadTokenizer("minilm-l6"));
    private static ITextTokenizer Tok => MiniLm.Value;

    [Fact]
    public void EncodesASentenceWithClsAndSep()
    {
        var e = Tok.Encode("The quick brown fox jumps over the lazy dog.");
        Assert.Equal([101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102], e.Ids);
        Assert.All(e.TokenTypeIds, t => Assert.Equal(0, t));
    }

    [Theory]
    [InlineData("Hello, world!", new[] { 7592, 1010, 2088, 999 })]
    [InlineData("Tokenization", new[] { 19204, 3989 })]             // token ##ization
    [InlineData("unaffable", new[] { 14477, 20961, 3468 })]         // una ##ffa ##ble
    [InlineData("Embeddings", new[] { 7861, 8270, 4667, 2015 })]    // em ##bed ##ding ##s
    [InlineData("Café NAÏVE", new[] { 7668, 15743 })]               // lower-cased, accents stripped
    [InlineData("Don't know?", new[] { 2123, 1005, 1056, 2113, 1029 })] // punctuation split
    // ASCII symbols are punctuation to BERT; Microsoft.ML.Tokenizers' BertTokenizer drops them (dotnet/machinelearning#7725).
    [InlineData("a $5 `b`", new[] { 1037, 1002, 1019, 1036, 1038, 1036 })]
    [InlineData("x^2+y=z", new[] { 1060, 1034, 1016, 1009, 1061, 1027, 1062 })]
    [InlineData("20°C ©", new[] { 2322, 7737, 2278, 1075 })]       // 20 ##° ##c ©
    // Newline and tab separate words; ML's BertTokenizer joins them (dotnet/machinelearning#7724).
    [InlineData("note\nbook one\tline", new[] { 3602, 2338, 2028, 2240 })]
    [InlineData("北京", new[] { 1781, 1755 })]                     // CJK ideographs one by one
    [InlineData("zero\u200bwidth", new[] { 5717, 9148, 11927, 2232 })] // format characters removed
    public void EncodesWordsAsUncasedWordPiece(string text, int[] expected)
    {
        Assert.Equal(expected, Tok.EncodeWords(text));
    }

    [Fact]
    public void KeepsSpecialTokensWrittenInTheText()
    {
        // Cloze templates write [MASK] in the text; it must stay one token although the text is lower-cased.
        Assert.Equal([3000, 2003, 1996, 103, 1997, 2605, 1012], Tok.EncodeWords("Paris is the [MASK] of France."));
    }

    [Fact]
    public void EncodesAnEmptyText()
    {
        Assert.Equal([101, 102], Tok.Encode("").Ids);
        Assert.Empty(Tok.EncodeWords("   "));
    }

    [Fact]
    public void SpecialTokensAndVocabSize()
    {
        Assert.Equal(new SpecialTokens(Pad: 0, Cls: 101, Sep: 102, Unk: 100, Mask: 103), Tok.Special);
        Assert.Equal(30522, Tok.VocabSize);
    }

    [Fact]
    public void EncodesAPairWithTokenTypes()
    {
        var e = Tok.Encode("Is it raining?", "Yes.");
        Assert.Equal([101, 2003, 2009, 24057, 1029, 102, 2748, 1012, 102], e.Ids);
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 1], e.TokenTypeIds);
    }

    [Fact]
    public void TruncatesASingleTextKeepingSep()
    {
        var e = Tok.Encode("The quick brown fox jumps over the lazy dog.", maxLength: 6);
        Assert.Equal([101, 1996, 4248, 2829, 4419, 102], e.Ids);
    }

    [Fact]
    public void TruncatesThePairLongestFirst()
    {
        // 11 word tokens and 2 ("yes."): a budget of 10 - 3 = 7 keeps the short one whole and cuts the long one.
        var e = Tok.Encode("The quick brown fox jumps over the lazy dog.", "Yes.", maxLength: 10);
        Assert.Equal([101, 1996, 4248, 2829, 4419, 14523, 102, 2748, 1012, 102], e.Ids);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1, 1, 1], e.TokenTypeIds);

        // 11 and 4 with a budget of 7: the shorter is over half the budget, so both are cut, the longer keeping 4.
        e = Tok.Encode("The quick brown fox jumps over the lazy dog.", "Is it raining?", maxLength: 10);
        Assert.Equal([101, 1996, 4248, 2829, 4419, 102, 2003, 2009, 24057, 102], e.Ids);

        // Both longer than half of a budget of 5: the longer first text keeps 3, the second 2.
        e = Tok.Encode("The quick brown fox jumps over the lazy dog.", "Is it raining?", maxLength: 8);
        Assert.Equal([101, 1996, 4248, 2829, 102, 2003, 2009, 102], e.Ids);
    }

    [Fact]
    public void RejectsAMaxLengthWithoutRoomForSpecialTokens()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Encode("a", "b", maxLength: 2));
    }

    [Theory]
    [InlineData("Unaffable tokenization", "unaffable tokenization")]
    [InlineData("Hello, world! It's 5 $.", "hello, world! it's 5 $.")]
    [InlineData("Paris is the [MASK] .", "paris is the [MASK].")]
    public void DecodesLikeHuggingFace(string text, string expected)
    {
        Assert.Equal(expected, Tok.Decode(Tok.EncodeWords(text)));
        Assert.Equal("[CLS] yes. [SEP]", Tok.Decode(Tok.Encode("Yes.").Ids));
    }

    [Fact]
    public void DecodingAnIdOutsideTheVocabularyIsAnError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Decode([101, 30522]));
    }

    [Theory]
    // (first, second, budget) → kept lengths, Hugging Face fast-tokenizer longest_first.
    [InlineData(3, 2, 10, 3, 2)]   // fits
    [InlineData(10, 2, 7, 5, 2)]   // only the longer one is cut
    [InlineData(2, 10, 7, 2, 5)]
    [InlineData(6, 6, 7, 3, 4)]    // both cut, tie: the second gets the odd token
    [InlineData(9, 6, 7, 4, 3)]    // both cut: the longer gets the odd token
    [InlineData(6, 9, 8, 4, 4)]
    [InlineData(0, 9, 4, 0, 4)]
    [InlineData(5, 5, 0, 0, 0)]
    public void LongestFirstMatchesHuggingFace(int first, int second, int budget, int keepFirst, int keepSecond)
    {
        Assert.Equal((keepFirst, keepSecond), PairTruncation.LongestFirst(first, second, budget));
    }
}
