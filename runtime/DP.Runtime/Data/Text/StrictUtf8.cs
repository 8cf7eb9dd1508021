using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace DP.Runtime.Data.Text;

/// <summary>
/// Data files are UTF-8. .NET's readers turn invalid bytes into U+FFFD silently; these read strictly and, on the
/// first invalid byte, fail naming the file and the line it is on.
/// </summary>
public static class StrictUtf8
{
    /// <summary>UTF-8 that throws on invalid bytes (a byte-order mark is still skipped by the readers).</summary>
    public static Encoding Encoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's lines with their 1-based numbers.</summary>
    public static IEnumerable<(int Line, string Text)> ReadLines(string path)
    {
        using var lines = File.ReadLines(path, Encoding).GetEnumerator();
        for (var number = 1; ; number++)
        {
            string text;
            try
            {
                if (!lines.MoveNext()) yield break;
                text = lines.Current;
            }
            catch (DecoderFallbackException)
            {
                throw InvalidAt(path);
            }
            yield return (number, text);
        }
    }

    /// <summary>The whole file as text.</summary>
    public static string ReadAllText(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding);
        }
        catch (DecoderFallbackException)
        {
            throw InvalidAt(path);
        }
    }

    /// <summary>
    /// The error for a file a strict read failed on. The reader decodes in blocks, so the line it was at when it
    /// failed may be an earlier one: find the first invalid byte in the file itself and count the lines before it.
    /// </summary>
    public static DataFormatException InvalidAt(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length + 1);
        try
        {
            Utf8.ToUtf16(bytes, chars, out var valid, out _, replaceInvalidSequences: false);
            var before = bytes.AsSpan(0, valid);
            var line = before.Count((byte)'\n') + 1;
            var column = valid - (before.LastIndexOf((byte)'\n') + 1) + 1;
            var found = valid < bytes.Length ? "0x" + bytes[valid].ToString("X2", CultureInfo.InvariantCulture) : "a cut-off character";
            return new DataFormatException(path, line, "(line)",
                $"not valid UTF-8: byte {found} at byte column {column}; save the file as UTF-8");
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
