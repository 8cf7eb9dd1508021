namespace DP.Runtime.Sweeps;

/// <summary>Files written beside a temporary copy and renamed into place, so a reader never sees half a file.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes <paramref name="text"/> to the first free <c>PREFIX-NNN.EXT</c> in <paramref name="folder"/>, never over an existing file; returns its path.</summary>
    public static string WriteNumbered(string folder, string prefix, string extension, string text)
    {
        Directory.CreateDirectory(folder);
        for (int n = 1; ; n++)
        {
            var path = Path.Combine(folder, $"{prefix}-{n.ToString("000", System.Globalization.CultureInfo.InvariantCulture)}.{extension}");
            if (File.Exists(path)) continue;
            var temporary = path + $".{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, text);
            try
            {
                File.Move(temporary, path, overwrite: false);
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another process took the number
            }
        }
    }
}
