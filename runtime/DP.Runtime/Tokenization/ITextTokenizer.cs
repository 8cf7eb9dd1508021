namespace DP.Runtime.Tokenization;

/// <summary>Token ids of one (possibly paired) text with special tokens placed as Hugging Face does.</summary>
public sealed record EncodedText(int[] Ids, int[] TokenTypeIds);

/// <summary>Special token ids a prompt assembler needs.</summary>
public sealed record SpecialTokens(int Pad, int? Cls, int Sep, int? Unk = null, int? Mask = null);

/// <summary>A tokenizer for one backbone family (WordPiece for BERT, SentencePiece for T5).</summary>
public interface ITextTokenizer
{
    SpecialTokens Special { get; }
    int VocabSize { get; }

    /// <summary>
    /// Encodes a text or a pair, truncated to <paramref name="maxLength"/> tokens including special tokens
    /// (longest-first for pairs), e.g. BERT: [CLS] a [SEP] b [SEP]; T5: a b &lt;/s&gt;.
    /// </summary>
    EncodedText Encode(string text, string? pair = null, int maxLength = 512);

    /// <summary>Ids of a text without special tokens (label words, prompt init text).</summary>
    int[] EncodeWords(string text);

    string Decode(IEnumerable<int> ids);

    /// <summary>
    /// Ids of ordinary text tokens: no special tokens, no sentinels, no reserved or unused entries, none past the
    /// vocabulary. Prompt initialisation from vocabulary rows draws from these.
    /// </summary>
    int[] OrdinaryTokenIds() => Enumerable.Range(0, VocabSize)
        .Where(id => id != Special.Pad && id != Special.Cls && id != Special.Sep && id != Special.Unk && id != Special.Mask)
        .ToArray();
}
