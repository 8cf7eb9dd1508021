namespace DP.Sdk.Tests;

/// <summary>
/// One solution of both languages: a C# experiment using the user's F# library (e.g. their data preparation) and an
/// F# experiment using a C# one, built together and run.
/// </summary>
[Collection(PackedSdkCollection.Name)]
public sealed class MixedSolutionTests(PackedSdkFixture sdk)
{
    [Fact]
    public void CSharp_and_FSharp_experiments_use_each_others_libraries_in_one_solution()
    {
        var workspace = sdk.NewWorkspace("mixed");
        Write(workspace, "TextPrep.FSharp/TextPrep.FSharp.fsproj", Library("<Compile Include=\"Text.fs\" />"));
        Write(workspace, "TextPrep.FSharp/Text.fs", "module TextPrep.Text\n\nlet normalize (text: string) = text.Trim().ToLowerInvariant()\n");
        Write(workspace, "TextPrep.CSharp/TextPrep.CSharp.csproj", Library(""));
        Write(workspace, "TextPrep.CSharp/Cleaner.cs", "namespace TextPrep;\n\npublic static class Cleaner\n{\n    public static string Clean(string text) => string.Join(' ', text.Split(' ', System.StringSplitOptions.RemoveEmptyEntries));\n}\n");

        foreach (var args in new[] { new[] { "-n", "Left" }, new[] { "-n", "Right", "-lang", "F#" } })
        {
            var created = sdk.DotNetNew(workspace, ["dp-experiment", .. args, "--task", "rte", "--no-restore"]);
            Assert.True(created.ExitCode == 0, created.ToString());
        }
        AddToProject(Path.Combine(workspace, "Left", "Left.csproj"), "<ItemGroup><ProjectReference Include=\"../TextPrep.FSharp/TextPrep.FSharp.fsproj\" /></ItemGroup>");
        Write(workspace, "Left/Program.cs", "using Left;\n\nConsole.WriteLine(\"normalized: \" + TextPrep.Text.normalize(\"  Hello From F#  \"));\nreturn LeftExperiment.Run(args);\n");
        AddToProject(Path.Combine(workspace, "Right", "Right.fsproj"),
            "<PropertyGroup><DpGenerateEntryPoint>false</DpGenerateEntryPoint></PropertyGroup>"
            + "<ItemGroup><Compile Include=\"Program.fs\" /><ProjectReference Include=\"../TextPrep.CSharp/TextPrep.CSharp.csproj\" /></ItemGroup>");
        Write(workspace, "Right/Program.fs", "module Right.Program\n\n[<EntryPoint>]\nlet main args =\n    printfn \"cleaned: %s\" (TextPrep.Cleaner.Clean \"from   C#   too\")\n    DpCli.Run args\n");
        Write(workspace, "Mixed.slnx", "<Solution>\n  <Project Path=\"TextPrep.FSharp/TextPrep.FSharp.fsproj\" />\n  <Project Path=\"TextPrep.CSharp/TextPrep.CSharp.csproj\" />\n  <Project Path=\"Left/Left.csproj\" />\n  <Project Path=\"Right/Right.fsproj\" />\n</Solution>\n");

        var build = DotNetCli.Run(workspace, TimeSpan.FromMinutes(10), "build", "Mixed.slnx", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());

        var left = DotNetCli.Run(Path.Combine(workspace, "Left"), TimeSpan.FromMinutes(2), "run", "--no-build", "--", "--help");
        Assert.True(left.ExitCode == 0, left.ToString());
        Assert.Contains("normalized: hello from f#", left.Output, StringComparison.Ordinal);
        var right = DotNetCli.Run(Path.Combine(workspace, "Right"), TimeSpan.FromMinutes(2), "run", "--no-build", "--", "--help");
        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.Contains("cleaned: from C# too", right.Output, StringComparison.Ordinal);
        // Each experiment's own command line ran after the library call.
        Assert.All(new[] { left, right }, r => Assert.Contains("train", r.Output, StringComparison.Ordinal));
    }

    private static string Library(string items) =>
        $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n  <ItemGroup>{items}</ItemGroup>\n</Project>\n";

    private static void Write(string workspace, string path, string text)
    {
        var full = Path.Combine(workspace, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private static void AddToProject(string projectFile, string xml)
        => File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace("</Project>", xml + "\n</Project>", StringComparison.Ordinal));
}
