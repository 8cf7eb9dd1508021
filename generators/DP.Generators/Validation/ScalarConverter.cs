using System;
using System.Globalization;
using System.Linq;
using DP.Generators.Diagnostics;
using DP.Generators.Model;

namespace DP.Generators.Validation;

/// <summary>
/// Turns spec text into a canonical typed value (invariant culture) and checks its range. Shared rules, so the
/// validator and the emitted overrides agree on what a valid value is.
/// </summary>
internal static class ScalarConverter
{
    /// <summary>Outcome of a conversion: canonical text, or an error id with message arguments.</summary>
    public readonly struct Result
    {
        private Result(bool ok, string? text, string? errorId, string[] args)
        {
            Ok = ok;
            Text = text;
            ErrorId = errorId;
            Args = args;
        }

        public bool Ok { get; }

        public string? Text { get; }

        public string? ErrorId { get; }

        public string[] Args { get; }

        public static Result Success(string? text) => new(true, text, null, Array.Empty<string>());

        public static Result Fail(string id, params string[] args) => new(false, null, id, args);
    }

    public static Result Convert(OptionDefinition option, string value, bool isNull)
    {
        if (isNull)
        {
            if (option.Nullable) return Result.Success(null);
            return Result.Fail(DiagnosticIds.WrongType, option.Key, TypeName(option), "(empty)", Example(option));
        }
        switch (option.Kind)
        {
            case SpecValueKind.Int:
            {
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < int.MinValue || n > int.MaxValue)
                {
                    return Result.Fail(DiagnosticIds.WrongType, option.Key, TypeName(option), value, Example(option));
                }
                if (!option.InRange(n)) return Result.Fail(DiagnosticIds.OutOfRange, option.Key, value, option.RangeText());
                return Result.Success(n.ToString(CultureInfo.InvariantCulture));
            }
            case SpecValueKind.Double:
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsNaN(d) || double.IsInfinity(d))
                {
                    return Result.Fail(DiagnosticIds.WrongType, option.Key, TypeName(option), value, Example(option));
                }
                if (!option.InRange(d)) return Result.Fail(DiagnosticIds.OutOfRange, option.Key, value, option.RangeText());
                return Result.Success(d.ToString("R", CultureInfo.InvariantCulture));
            }
            case SpecValueKind.Bool:
                if (SpecScalars.TrueWords.Contains(value)) return Result.Success("true");
                if (SpecScalars.FalseWords.Contains(value)) return Result.Success("false");
                return Result.Fail(DiagnosticIds.WrongType, option.Key, TypeName(option), value, Example(option));
            case SpecValueKind.Enum:
            {
                var words = option.Choices.Select(c => c.Word).ToArray();
                if (words.Contains(value)) return Result.Success(value);
                return Result.Fail(DiagnosticIds.UnknownChoice, option.Key, value, Suggestions.DidYouMean(value, words), string.Join(", ", words));
            }
            default:
                if (value.Length == 0 && !option.Nullable) return Result.Fail(DiagnosticIds.WrongType, option.Key, TypeName(option), "(empty)", Example(option));
                return Result.Success(value.Length == 0 ? null : value);
        }
    }

    public static string TypeName(OptionDefinition option) => option.Kind switch
    {
        SpecValueKind.Int => "a whole number",
        SpecValueKind.Double => "a number",
        SpecValueKind.Bool => "true or false",
        SpecValueKind.Enum => "one of " + string.Join(", ", option.Choices.Select(c => c.Word)),
        _ => "text",
    };

    public static string Example(OptionDefinition option)
    {
        var sample = option.Kind switch
        {
            SpecValueKind.Int => option.DefaultText ?? (option.Min is { } m ? ((long)m).ToString(CultureInfo.InvariantCulture) : "1"),
            SpecValueKind.Double => option.DefaultText ?? "0.001",
            SpecValueKind.Bool => option.DefaultText ?? "true",
            SpecValueKind.Enum => option.DefaultText ?? option.Choices[0].Word,
            _ => option.DefaultText ?? "text",
        };
        return "'" + option.Name + ": " + sample + "'";
    }
}
