namespace DP.Runtime.Training.Checkpoints;

/// <summary>Puts a completely written folder in place under its final name, so readers see the old one or the new one.</summary>
internal static class AtomicFolder
{
    /// <summary>Renames <paramref name="temp"/> to <paramref name="final"/>; an existing final folder is moved aside first, then deleted.</summary>
    public static void Replace(string temp, string final)
    {
        if (!Directory.Exists(final))
        {
            Directory.Move(temp, final);
            return;
        }
        var old = final + $".old-{Guid.NewGuid():N}";
        Directory.Move(final, old);
        Directory.Move(temp, final);
        Directory.Delete(old, recursive: true);
    }
}
