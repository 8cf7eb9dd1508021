using System;
using System.Linq;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Validation;

namespace DP.Generators.Pipeline;

/// <summary>
/// The language-neutral steps both front ends run: the C# source generator and the F# build task. One spec file →
/// a validation result; never throws (a bug becomes the internal-error diagnostic, not a crashed build).
/// </summary>
public static class SpecPipeline
{
    public const string SpecSuffix = ".dp.yaml";

    public static SpecValidationResult Validate(SpecFile file)
    {
        try
        {
            return SpecValidator.Validate(file.Path, file.Text, file.Encoding);
        }
        catch (Exception ex)
        {
            // Never expected: the validator reports every problem as a diagnostic. Kept so a bug cannot crash the build.
            return new SpecValidationResult(file.Path, null, new[] { InternalError(file.Path, ex) }.ToEquatableArray());
        }
    }

    public static DiagnosticInfo InternalError(string path, Exception ex)
        => DiagnosticInfo.Create(DiagnosticIds.InternalError, path, SourceSpan.FileStart, ex.GetType().Name + ": " + ex.Message);
}
