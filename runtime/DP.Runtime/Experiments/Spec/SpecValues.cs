using System.Globalization;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Validation;

namespace DP.Runtime.Experiments;

/// <summary>
/// Reads the value of one <c>--set key=value</c> override. Generated <c>ApplyOverride</c> methods call it with the
/// dotted key; type, range, null words and choice words come from the spec schema, and the value is read by the
/// same converter the build uses on the spec, so both accept and reject alike and say so in the same words.
/// </summary>
public static class SpecValues
{
    /// <summary>The keys <c>--set</c> can name for experiments that run these methods (<c>method.kind</c> words), in schema order.</summary>
    public static IReadOnlyList<string> KeysFor(params string[] methods)
        => new[] { SpecSchema.Experiment }
            .Concat(SpecSchema.Options.Where(o => methods.Any(m => SpecSchema.AppliesTo(o.Key, m))).Select(o => o.Key))
            .Concat(new[] { SpecSchema.TaskFields, SpecSchema.TaskLabels }).ToArray();

    /// <summary>The <c>method.kind</c> word of a method.</summary>
    public static string MethodWord(MethodKind kind) => SpecSchema.Find("method.kind")!.Choices.Single(c => c.Member == kind.ToString()).Word;

    public static string Name(string key, string value)
    {
        var text = value.Trim();
        if (!SpecScalars.IsValidExperimentName(text)) throw Problem(SpecMessages.InvalidName, text);
        return text;
    }

    public static string Text(string key, string value) => Read(key, value, SpecValueKind.String, nullable: false)!;

    public static string? NullableText(string key, string value) => Read(key, value, SpecValueKind.String, nullable: true);

    public static int Int(string key, string value) => int.Parse(Read(key, value, SpecValueKind.Int, nullable: false)!, CultureInfo.InvariantCulture);

    public static int? NullableInt(string key, string value)
        => Read(key, value, SpecValueKind.Int, nullable: true) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public static double Double(string key, string value) => double.Parse(Read(key, value, SpecValueKind.Double, nullable: false)!, CultureInfo.InvariantCulture);

    public static double? NullableDouble(string key, string value)
        => Read(key, value, SpecValueKind.Double, nullable: true) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;

    public static bool Bool(string key, string value) => Read(key, value, SpecValueKind.Bool, nullable: false) == "true";

    /// <summary>A choice word, as the runtime enum member the schema pairs it with.</summary>
    public static TEnum Choice<TEnum>(string key, string value) where TEnum : struct, Enum
    {
        var word = Read(key, value, SpecValueKind.Enum, nullable: false)!;
        var member = Option(key, SpecValueKind.Enum).Choices.First(c => c.Word == word).Member;
        return Enum.Parse<TEnum>(member);
    }

    /// <summary>
    /// The options of the method <c>--set method.kind</c> switches to: the new method's defaults, keeping the values of
    /// the keys both methods have (a spec's prompt length survives a switch from prompt tuning to dynamic prompting).
    /// </summary>
    public static MethodOptions SwitchMethod(MethodOptions current, MethodKind kind)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Kind == kind) return current;
        var next = MethodOptions.Create(kind);
        string from = MethodWord(current.Kind), to = MethodWord(kind);
        foreach (var option in SpecSchema.Options.Where(o => o.Scope == OptionScope.Method && SpecSchema.AppliesTo(o.Key, from) && SpecSchema.AppliesTo(o.Key, to)))
            SpecOptionPaths.Write(next, option, SpecOptionPaths.Read(current, option));
        return next;
    }

    /// <summary>The method's options as the class that holds <paramref name="key"/>; a key of another method is refused naming its method.</summary>
    public static T MethodOf<T>(ExperimentOptions options, string key) where T : MethodOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Method is T method) return method;
        throw SpecSchema.ScopeOf(key) is { } scope
            ? KeyOfAnotherMethod(key, scope, MethodWord(options.Method.Kind))
            : new InvalidOperationException($"'{key}' is held by {typeof(T).Name}, which {options.Method.GetType().Name} is not (spec schema drift).");
    }

    /// <summary>Comma-separated field names, e.g. <c>premise,hypothesis</c>.</summary>
    public static List<string> List(string key, string value)
    {
        var items = value.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        if (items.Count == 0) throw new ArgumentException($"'{key}' needs comma-separated names, e.g. premise,hypothesis.");
        return items;
    }

    /// <summary>Comma-separated <c>value=word</c> pairs, at least two.</summary>
    public static List<LabelWord> Labels(string key, string value)
    {
        var labels = new List<LabelWord>();
        foreach (var part in value.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1)
                throw new ArgumentException($"'{key}' needs value=word pairs, e.g. positive=great,negative=terrible; '{part}' is not one.");
            labels.Add(new LabelWord(part[..eq].Trim(), part[(eq + 1)..].Trim()));
        }
        if (labels.Count < 2) throw new ArgumentException($"'{key}' needs at least two value=word pairs.");
        return labels;
    }

    /// <summary>The error for a key the experiment's override table lacks: a key of another method says whose it is.</summary>
    public static ArgumentException UnknownKey(string key, IReadOnlyList<string> keys, ExperimentOptions options)
    {
        if (SpecSchema.ScopeOf(key) is { } scope) return KeyOfAnotherMethod(key, scope, MethodWord(options.Method.Kind));
        return new($"Unknown spec key '{key}'{Suggestions.DidYouMean(key, keys)}. Keys are dotted spec paths such as training.learning_rate.");
    }

    /// <summary>Every key of <paramref name="keys"/> that does not apply to the options' method, as one error each.</summary>
    public static IReadOnlyList<string> KeysOfAnotherMethod(IEnumerable<string> keys, ExperimentOptions options)
    {
        var method = MethodWord(options.Method.Kind);
        return keys.Distinct().Where(k => !SpecSchema.AppliesTo(k, method)).Select(k => KeyOfAnotherMethod(k, SpecSchema.ScopeOf(k)!, method).Message).ToArray();
    }

    private static ArgumentException KeyOfAnotherMethod(string key, MethodScope scope, string method)
        => new($"'{key}' belongs to method.kind {string.Join(" or ", scope.Methods.Select(m => "'" + m + "'"))}, not '{method}': {scope.Advice}.");

    private static string? Read(string key, string value, SpecValueKind kind, bool nullable)
    {
        var option = Option(key, kind);
        if (option.Nullable != nullable) throw new InvalidOperationException($"'{key}' is {(option.Nullable ? "" : "not ")}nullable in the spec schema.");
        var text = value.Trim();
        var result = ScalarConverter.Convert(option, text, SpecScalars.IsNull(text));
        if (result.Ok) return result.Text;
        throw Problem(MessageFor(result.ErrorId!), result.Args);
    }

    private static OptionDefinition Option(string key, SpecValueKind kind)
    {
        var option = SpecSchema.Find(key) ?? throw new InvalidOperationException($"'{key}' is not a key of the spec schema.");
        if (option.Kind != kind) throw new InvalidOperationException($"'{key}' holds {option.Kind} in the spec schema, not {kind}.");
        return option;
    }

    private static string MessageFor(string errorId) => errorId switch
    {
        DiagnosticIds.WrongType => SpecMessages.WrongType,
        DiagnosticIds.OutOfRange => SpecMessages.OutOfRange,
        DiagnosticIds.UnknownChoice => SpecMessages.UnknownChoice,
        _ => throw new InvalidOperationException("no message for " + errorId),
    };

    // Messages go straight to the user (ExperimentCli prints them): ArgumentException(message) adds no
    // "(Parameter ...)" suffix.
    private static ArgumentException Problem(string format, params string[] args)
        => new(string.Format(CultureInfo.InvariantCulture, format, args) + ".");
}
