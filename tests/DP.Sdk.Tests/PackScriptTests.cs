using System.Diagnostics;

namespace DP.Sdk.Tests;

/// <summary>
/// Issue 15 item 6: eng/pack.sh must not disturb builds of other clones. It runs here against a stand-in `dotnet`
/// (which only records the version it was asked to pack) and a stand-in global packages folder.
/// </summary>
public sealed class PackScriptTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dp-pack-script-tests", Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public void Pack_leaves_the_global_packages_folder_alone_and_gives_each_local_pack_its_own_version()
    {
        var global = Path.Combine(_dir, "global-packages");
        // What another clone's build restored and is using right now.
        var inUse = Path.Combine(global, "dp.sdk", "0.1.0", "dp.sdk.nuspec");
        Directory.CreateDirectory(Path.GetDirectoryName(inUse)!);
        File.WriteAllText(inUse, "<package/>");

        var first = Pack(global);
        var second = Pack(global);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.True(File.Exists(inUse), "pack.sh deleted another build's cached package:\n" + first.Output);

        var versions = File.ReadAllLines(Path.Combine(_dir, "packed-versions.txt"));
        Assert.Equal(2, versions.Length);
        Assert.NotEqual(versions[0], versions[1]);
        Assert.All(versions, v => Assert.StartsWith(BaseVersion() + "-local.", v));

        // An explicit version that is already cached is packed but only warned about: the cache is not ours to delete.
        var same = Pack(global, "--version", "0.1.0");
        Assert.True(same.ExitCode == 0, same.Output);
        Assert.True(File.Exists(inUse));
        Assert.Contains("warning", same.Output);
    }

    private (int ExitCode, string Output) Pack(string globalPackages, params string[] arguments)
    {
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var fake = Path.Combine(bin, "dotnet");
        File.WriteAllText(fake, """
            #!/usr/bin/env bash
            # Stand-in dotnet: `pack` writes empty packages of the requested version, `nuget locals` names the cache.
            case "$1" in
              pack)
                out=""; version=""; previous=""
                for a in "$@"; do
                  [[ "$previous" == "-o" ]] && out="$a"
                  [[ "$a" == -p:DpVersion=* ]] && version="${a#-p:DpVersion=}"
                  previous="$a"
                done
                for id in DP.Runtime DP.Sdk DP.Templates; do : > "$out/$id.$version.nupkg"; done
                echo "$version" >> "$PACKED_VERSIONS" ;;
              nuget) echo "global-packages: $FAKE_GLOBAL_PACKAGES/" ;;
              *) echo "unexpected dotnet $*" >&2; exit 3 ;;
            esac
            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoRoot(), "eng", "pack.sh"));
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add(Path.Combine(_dir, "feed"));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["PATH"] = bin + Path.PathSeparator + start.Environment["PATH"];
        start.Environment["FAKE_GLOBAL_PACKAGES"] = globalPackages;
        start.Environment["PACKED_VERSIONS"] = Path.Combine(_dir, "packed-versions.txt");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string BaseVersion() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot(), "Directory.Build.props")).Descendants("DpVersion").First().Value;

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "DP.Sdk.sln"))) return d.FullName;
        throw new InvalidOperationException($"No DP.Sdk.sln above {AppContext.BaseDirectory}.");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
