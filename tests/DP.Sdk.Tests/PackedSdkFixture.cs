using System.Xml.Linq;

namespace DP.Sdk.Tests;

/// <summary>
/// Packs DP.Runtime, DP.Sdk and DP.Templates once per test run, with a unique prerelease version (so no stale copy
/// in the NuGet cache can be used), into a private feed; installs the templates into a private template hive.
/// Every test works in its own folder whose nuget.config points at that feed and nuget.org.
/// </summary>
public sealed class PackedSdkFixture : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);
    private int _workspaces;

    public PackedSdkFixture()
    {
        RepoRoot = FindRepoRoot();
        Root = Path.Combine(Path.GetTempPath(), "dp-sdk-tests", Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Hive = Path.Combine(Root, "template-hive");
        Directory.CreateDirectory(Feed);

        var baseVersion = XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props"))
            .Descendants("DpVersion").Select(e => e.Value).FirstOrDefault() ?? "0.1.0";
        // The second alone is not unique: two clones testing at once would share one global-cache entry.
        Version = $"{baseVersion}-test.{DateTime.UtcNow:yyyyMMddHHmmss}.g{Guid.NewGuid().ToString("N")[..8]}";

        var packages = XDocument.Load(Path.Combine(RepoRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        TorchSharpVersion = packages["TorchSharp"];
        LibTorchVersion = packages["libtorch-cpu-linux-x64"];

        HasGenerator = File.Exists(Path.Combine(RepoRoot, "generators", "DP.Generators", "DP.Generators.csproj"));
        // A separate artifacts path keeps this Release build away from the developer's bin/ and obj/ folders.
        var pack = DotNetCli.Run(RepoRoot, PackTimeout,
            "pack", Path.Combine(RepoRoot, "eng", "pack.slnf"), "-c", "Release", "-o", Feed,
            $"-p:DpVersion={Version}", "--artifacts-path", Path.Combine(Root, "build"), "-nologo",
            HasGenerator ? "-p:DpAllowMissingGenerator=false" : "-p:DpAllowMissingGenerator=true");
        if (pack.ExitCode != 0)
            throw new InvalidOperationException("Packing failed: " + pack);

        var install = DotNetCli.Run(Root, TimeSpan.FromMinutes(3),
            "new", "install", Path.Combine(Feed, $"DP.Templates.{Version}.nupkg"), "--debug:custom-hive", Hive);
        if (install.ExitCode != 0)
            throw new InvalidOperationException("Installing the templates failed: " + install);
    }

    public string RepoRoot { get; }
    public string Root { get; }
    public string Feed { get; }
    public string Hive { get; }
    public string Version { get; }
    public string TorchSharpVersion { get; }
    public string LibTorchVersion { get; }
    public bool HasGenerator { get; }

    /// <summary>A fresh folder with a nuget.config that sees the packed feed and nuget.org.</summary>
    public string NewWorkspace(string name)
    {
        var directory = Path.Combine(Root, "ws", $"{Interlocked.Increment(ref _workspaces):D2}-{name}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="dp-test-feed" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
        return directory;
    }

    /// <summary>Runs `dotnet new ARGS` against the private template hive.</summary>
    public CliResult DotNetNew(string workingDirectory, params string[] arguments) =>
        DotNetCli.Run(workingDirectory, TimeSpan.FromMinutes(2), ["new", .. arguments, "--debug:custom-hive", Hive]);

    /// <summary>`dotnet new dp-experiment -n name` (not restored) in a fresh workspace; returns the project folder.</summary>
    public string NewExperiment(string name, params string[] options)
    {
        var workspace = NewWorkspace(name);
        var created = DotNetNew(workspace, ["dp-experiment", "-n", name, "--no-restore", .. options]);
        Assert.True(created.ExitCode == 0, created.ToString());
        return Path.Combine(workspace, name);
    }

    public void Dispose()
    {
        TryDelete(Root);
        // The unique version was restored into the global packages folder; leave no trace of it there.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "dp.runtime", "dp.sdk", "dp.templates" })
            TryDelete(Path.Combine(globalPackages, id, Version.ToLowerInvariant()));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a test run over cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DP.Sdk.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No DP.Sdk.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class PackedSdkCollection : ICollectionFixture<PackedSdkFixture>
{
    public const string Name = "Packed DP.Sdk";
}
