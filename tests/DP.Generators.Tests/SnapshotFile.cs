using System.Runtime.CompilerServices;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>
/// Compares generated code with a reviewed <c>Snapshots/NAME.verified.cs</c> (<c>.fs</c> for F#) beside the tests. A mismatch writes
/// <c>NAME.received.cs</c> and fails; set DP_UPDATE_SNAPSHOTS=1 to accept the new output after reviewing it.
/// </summary>
public static class SnapshotFile
{
    public static void Match(string actual, string name, [CallerFilePath] string testFile = "", string extension = ".cs")
    {
        var folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        var verified = Path.Combine(folder, name + ".verified" + extension);
        var received = Path.Combine(folder, name + ".received" + extension);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("DP_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? "No snapshot " + verified + " yet; review " + received + " and rerun with DP_UPDATE_SNAPSHOTS=1."
            : "Generated code differs from " + verified + "; compare with " + received + " and rerun with DP_UPDATE_SNAPSHOTS=1 if the change is intended.");
    }
}
