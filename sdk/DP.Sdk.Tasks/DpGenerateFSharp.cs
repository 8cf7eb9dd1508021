using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using DP.Generators;
using DP.Generators.Emit.FSharp;
using DP.Generators.Model;
using DP.Generators.Pipeline;
using DP.Generators.Validation;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DP.Sdk.Tasks;

/// <summary>
/// *.dp.yaml → F# files in <see cref="OutputDirectory"/>, with every spec problem logged as the C# generator reports
/// it (same DPxxxx id, message and file(line,col)). Writes only files whose text changed and removes stale ones, so
/// the F# compile stays incremental. Never throws: a bug becomes the internal-error diagnostic.
/// </summary>
public sealed class DpGenerateFSharp : Task
{
    public ITaskItem[] Specs { get; set; } = Array.Empty<ITaskItem>();

    public string? RootNamespace { get; set; }

    /// <summary>DpGenerateEntryPoint: anything but false asks for the entry point.</summary>
    public string? GenerateEntryPoint { get; set; }

    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The experiment files, in compile order (they go before the project's own files).</summary>
    [Output]
    public ITaskItem[] Experiments { get; private set; } = Array.Empty<ITaskItem>();

    /// <summary>The entry point file, if one was asked for (it goes last).</summary>
    [Output]
    public ITaskItem[] EntryPoint { get; private set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        try
        {
            return Generate();
        }
        catch (Exception ex)
        {
            Report(BuildDiagnostic.From(SpecPipeline.InternalError(Specs.FirstOrDefault()?.GetMetadata("FullPath") ?? "", ex)));
            return false;
        }
    }

    private bool Generate()
    {
        var results = Specs.Select(s => ReadAndValidate(s.GetMetadata("FullPath"))).ToImmutableArray();
        var model = GenerationModel.Build(results, FSharpSources.Settings(RootNamespace, GenerateEntryPoint), hasUserMain: false);
        foreach (var info in model.Diagnostics) Report(BuildDiagnostic.From(info));
        if (Log.HasLoggedErrors) return false;

        Directory.CreateDirectory(OutputDirectory);
        var sources = FSharpSources.Emit(model);
        var written = new List<ITaskItem>();
        foreach (var source in sources)
        {
            var path = Path.GetFullPath(Path.Combine(OutputDirectory, source.FileName));
            if (!File.Exists(path) || File.ReadAllText(path) != source.Text) File.WriteAllText(path, source.Text);
            written.Add(new TaskItem(path));
        }
        foreach (var stale in Directory.GetFiles(OutputDirectory, "*.g.fs").Where(f => written.All(w => w.ItemSpec != Path.GetFullPath(f))))
        {
            File.Delete(stale);
        }
        Experiments = written.Where(w => Path.GetFileName(w.ItemSpec) != FSharpEntryPointEmitter.FileName).ToArray();
        EntryPoint = written.Where(w => Path.GetFileName(w.ItemSpec) == FSharpEntryPointEmitter.FileName).ToArray();
        return true;
    }

    // A file that cannot be read (gone, no permission) is that file's internal error, located at its start.
    private static SpecValidationResult ReadAndValidate(string path)
    {
        try
        {
            return SpecPipeline.Validate(SpecFileReader.FromBytes(path, File.ReadAllBytes(path)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new SpecValidationResult(path, null, new[] { SpecPipeline.InternalError(path, ex) }.ToEquatableArray());
        }
    }

    private void Report(BuildDiagnostic d)
        => Log.LogError(subcategory: null, errorCode: d.Id, helpKeyword: null, file: d.File,
            lineNumber: d.Line, columnNumber: d.Column, endLineNumber: d.EndLine, endColumnNumber: d.EndColumn, message: d.Message);
}
