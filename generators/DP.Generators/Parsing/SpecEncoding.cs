using System.Text;

namespace DP.Generators.Parsing;

/// <summary>Where a spec's bytes stop being UTF-8, as an offset into its decoded text and what was found there.</summary>
public sealed record EncodingProblem(int Offset, string Found);

/// <summary>
/// Finds bytes that are not UTF-8. By the time a generator sees an additional file it is text: a lenient UTF-8 decode
/// has turned bad bytes into U+FFFD, or (as csc does when strict UTF-8 fails) a single-byte code page decoded the
/// whole file. Either way the text is recognisable, and a single-byte decode gives the bytes back one per character.
/// </summary>
public static class SpecEncoding
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static EncodingProblem? Find(string text, Encoding? decodedWith)
    {
        var replacement = text.IndexOf('\uFFFD');
        if (replacement >= 0) return new EncodingProblem(replacement, "bytes that decode to U+FFFD, the replacement character");
        if (decodedWith is null || !decodedWith.IsSingleByte) return null;
        var bytes = decodedWith.GetBytes(text);
        try
        {
            StrictUtf8.GetCharCount(bytes);
            return null;
        }
        catch (DecoderFallbackException ex)
        {
            var at = ex.Index >= 0 && ex.Index < bytes.Length ? ex.Index : 0;
            return new EncodingProblem(at, "byte 0x" + bytes[at].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
