namespace DP.Sdk.Tests;

/// <summary>What a project gets from <c>&lt;Project Sdk="DP.Sdk/x.y.z"&gt;</c>, checked on the packed SDK.</summary>
[Collection(PackedSdkCollection.Name)]
public sealed class SdkPackageTests(PackedSdkFixture sdk)
{
    private string NewSdkProject(string name, string body = "", params (string Path, string Text)[] files)
    {
        var directory = sdk.NewWorkspace(name);
        File.WriteAllText(Path.Combine(directory, "Probe.csproj"), $"""
            <Project Sdk="DP.Sdk/{sdk.Version}">
            {body}
            </Project>
            """);
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return directory;
    }

    private static List<(string Id, string Version)> PackageReferences(MsBuildEvaluation evaluation) =>
        evaluation.Items("PackageReference").Select(i => (i["Identity"], i.GetValueOrDefault("Version", ""))).ToList();

    [Fact]
    public void Default_backend_references_the_runtime_and_libtorch_cpu_with_stamped_versions()
    {
        var project = NewSdkProject("backend-cpu");

        var references = PackageReferences(MsBuildEvaluation.Of(project, ["DpTorchBackend"], ["PackageReference"]));

        Assert.Contains(("DP.Runtime", sdk.Version), references);
        Assert.Contains(("libtorch-cpu-linux-x64", sdk.LibTorchVersion), references);
        Assert.DoesNotContain(references, r => r.Id == "TorchSharp-cuda-linux");
    }

    [Fact]
    public void Cuda_backend_selects_TorchSharp_cuda_linux_instead_of_libtorch_cpu()
    {
        var project = NewSdkProject("backend-cuda");

        var evaluation = MsBuildEvaluation.Of(project, ["DpTorchBackend"], ["PackageReference"], "DpTorchBackend=cuda");
        var references = PackageReferences(evaluation);

        Assert.Equal("cuda", evaluation.Property("DpTorchBackend"));
        Assert.Contains(("TorchSharp-cuda-linux", sdk.TorchSharpVersion), references);
        Assert.Contains(("DP.Runtime", sdk.Version), references);
        Assert.DoesNotContain(references, r => r.Id == "libtorch-cpu-linux-x64");
    }

    [Fact]
    public void Unknown_backend_fails_with_a_message_naming_the_choices()
    {
        var project = NewSdkProject("backend-unknown");

        var result = DotNetCli.Run(project, TimeSpan.FromMinutes(3), "msbuild", "-nologo", "-t:DpCheckTorchBackend", "-p:DpTorchBackend=rocm");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DPSDK001", result.Output);
        Assert.Contains("DpTorchBackend='rocm'", result.Output);
    }

    [Fact]
    public void Defaults_make_an_executable_net10_project_that_feeds_every_spec_to_the_generator()
    {
        var project = NewSdkProject("defaults", "",
            ("main.dp.yaml", "experiment: main\n"),
            ("specs/more/other.dp.yaml", "experiment: other\n"),
            ("obj/stale.dp.yaml", "experiment: stale\n"),
            ("bin/Debug/copied.dp.yaml", "experiment: copied\n"));

        var evaluation = MsBuildEvaluation.Of(project,
            ["OutputType", "TargetFramework", "Nullable", "ImplicitUsings", "RunWorkingDirectory", "DpGenerateEntryPoint"],
            ["AdditionalFiles", "Analyzer", "CompilerVisibleProperty"]);

        Assert.Equal("true", evaluation.Property("UsingDpSdk"));
        Assert.Equal("Exe", evaluation.Property("OutputType"));
        Assert.Equal("net10.0", evaluation.Property("TargetFramework"));
        Assert.Equal("enable", evaluation.Property("Nullable"));
        Assert.Equal("enable", evaluation.Property("ImplicitUsings"));
        Assert.Equal("true", evaluation.Property("DpGenerateEntryPoint"));
        Assert.Equal(project.TrimEnd('/'), evaluation.Property("RunWorkingDirectory").TrimEnd('/'));

        var specs = evaluation.Items("AdditionalFiles").Select(i => i["Identity"].Replace('\\', '/')).Order().ToList();
        Assert.Equal(["main.dp.yaml", "specs/more/other.dp.yaml"], specs);

        var analyzers = evaluation.Items("Analyzer").Select(i => i["FullPath"]).ToList();
        var fromSdk = analyzers.Where(a => a.Contains("dp.sdk", StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileName).ToList();
        Assert.Contains("YamlDotNet.dll", fromSdk);
        if (sdk.HasGenerator)
            Assert.Contains("DP.Generators.dll", fromSdk);

        var visible = evaluation.Items("CompilerVisibleProperty").Select(i => i["Identity"]).ToList();
        Assert.Contains("DpGenerateEntryPoint", visible);
        Assert.Single(visible, v => v == "RootNamespace");
    }

    [Fact]
    public void Every_default_yields_to_what_the_project_sets()
    {
        var project = NewSdkProject("overrides", """
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <TargetFrameworks>net10.0;net9.0</TargetFrameworks>
                <Nullable>disable</Nullable>
                <EnableDefaultDpSpecItems>false</EnableDefaultDpSpecItems>
                <DpGenerateEntryPoint>false</DpGenerateEntryPoint>
                <DpTorchBackend>none</DpTorchBackend>
                <DpAddRuntimeReference>false</DpAddRuntimeReference>
              </PropertyGroup>
            """,
            ("main.dp.yaml", "experiment: main\n"));

        var evaluation = MsBuildEvaluation.Of(project,
            ["OutputType", "TargetFramework", "TargetFrameworks", "Nullable", "DpGenerateEntryPoint"],
            ["AdditionalFiles", "PackageReference"]);

        Assert.Equal("Library", evaluation.Property("OutputType"));
        Assert.Equal("", evaluation.Property("TargetFramework"));
        Assert.Equal("net10.0;net9.0", evaluation.Property("TargetFrameworks"));
        Assert.Equal("disable", evaluation.Property("Nullable"));
        Assert.Equal("false", evaluation.Property("DpGenerateEntryPoint"));
        Assert.DoesNotContain(evaluation.Items("AdditionalFiles"), i => i["Identity"].EndsWith(".dp.yaml", StringComparison.Ordinal));
        Assert.Empty(PackageReferences(evaluation));
    }

    [Fact]
    public void A_project_with_its_own_Main_builds_and_runs_TorchSharp_on_the_packaged_runtime()
    {
        // Proves the runtime package's dependencies restore, libtorch is picked, and DP.Runtime's buildTransitive
        // GLIBCXX fix reaches SDK projects (without it, TorchSharp fails to load on Debian 12's libstdc++).
        var project = NewSdkProject("own-main", """
              <PropertyGroup>
                <DpGenerateEntryPoint>false</DpGenerateEntryPoint>
              </PropertyGroup>
            """,
            ("Program.cs", """
                using TorchSharp;
                var total = torch.arange(4, dtype: torch.float32).sum().item<float>();
                Console.WriteLine($"torch-sum={total}");
                """));

        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = DotNetCli.Run(project, TimeSpan.FromMinutes(3), "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("torch-sum=6", run.Output);
    }
}
