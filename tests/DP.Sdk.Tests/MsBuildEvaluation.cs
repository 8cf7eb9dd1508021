using System.Text.Json;

namespace DP.Sdk.Tests;

/// <summary>A project's properties and items through `dotnet msbuild -getProperty/-getItem`: evaluation only, or after a target.</summary>
public sealed class MsBuildEvaluation
{
    private readonly JsonElement _root;

    private MsBuildEvaluation(JsonElement root) => _root = root;

    public static MsBuildEvaluation Of(string projectDirectory, string[] properties, string[] items, params string[] globalProperties) =>
        Run(projectDirectory, null, properties, items, globalProperties);

    /// <summary>Items and properties as they stand after <paramref name="target"/> ran (the project must be restored).</summary>
    public static MsBuildEvaluation AfterTarget(string projectDirectory, string target, string[] items, params string[] globalProperties) =>
        Run(projectDirectory, target, [], items, globalProperties);

    private static MsBuildEvaluation Run(string projectDirectory, string? target, string[] properties, string[] items, string[] globalProperties)
    {
        var arguments = new List<string> { "msbuild", "-nologo" };
        if (target is not null) arguments.Add($"-t:{target}");
        // Two or more requests make msbuild answer in JSON (a single property comes back as bare text).
        arguments.AddRange(properties.Append("MSBuildProjectFullPath").Append("UsingDpSdk").Distinct().Select(p => $"-getProperty:{p}"));
        arguments.AddRange(items.Select(i => $"-getItem:{i}"));
        arguments.AddRange(globalProperties.Select(p => $"-p:{p}"));
        var result = DotNetCli.Run(projectDirectory, TimeSpan.FromMinutes(3), [.. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Output[result.Output.IndexOf('{')..];
        return new MsBuildEvaluation(JsonDocument.Parse(json).RootElement.Clone());
    }

    public string Property(string name) => _root.GetProperty("Properties").GetProperty(name).GetString() ?? "";

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Items(string type) =>
        _root.TryGetProperty("Items", out var items) && items.TryGetProperty(type, out var list)
            ? list.EnumerateArray()
                .Select(e => (IReadOnlyDictionary<string, string>)e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""))
                .ToList()
            : [];
}
