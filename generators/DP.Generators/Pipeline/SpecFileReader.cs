using System.Text;
using DP.Generators.Parsing;

namespace DP.Generators.Pipeline;

/// <summary>
/// Decodes a spec file's bytes the way the C# compiler reads an additional file, so the F# build task validates the same
/// text: UTF-8 (a BOM dropped); bytes that are not UTF-8 make the compiler fall back to a single-byte code page,
/// which gives the same text offsets as Latin-1 here.
/// </summary>
public static class SpecFileReader
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SpecFile FromBytes(string path, byte[] bytes)
    {
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            var text = StrictUtf8.GetString(bytes, bom, bytes.Length - bom);
            return new SpecFile(path, text, SpecEncoding.Find(text, StrictUtf8));
        }
        catch (DecoderFallbackException)
        {
            var latin1 = Encoding.GetEncoding(28591);
            var text = latin1.GetString(bytes, bom, bytes.Length - bom);
            return new SpecFile(path, text, SpecEncoding.Find(text, latin1));
        }
    }
}
