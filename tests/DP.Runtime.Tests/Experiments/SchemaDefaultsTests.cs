using System.Globalization;
using DP.Generators.Model;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Experiments;

/// <summary>
/// Options built in code (without a spec) start from the spec schema's defaults: the schema is the one place a
/// default is stated, and this fails when an ExperimentOptions initialiser drifts from it.
/// </summary>
public class SchemaDefaultsTests
{
    public static IEnumerable<object[]> Keys() => SpecSchema.Options.Select(o => new object[] { o.Key });

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_new_options_object_holds_the_schema_default(string key)
    {
        var option = SpecSchema.Find(key)!;
        var options = new ExperimentOptions();
        object? target = option.Scope == OptionScope.Task ? options.Task : options;
        foreach (var name in option.PropertyPath.Split('.'))
        {
            var property = target!.GetType().GetProperty(name) ?? throw new InvalidOperationException($"{key}: no property {name}");
            // few_shot is null until a spec asks for sampling: its keys' defaults are those of a new FewShotOptions.
            target = property.GetValue(target) ?? (property.PropertyType == typeof(FewShotOptions) ? new FewShotOptions() : null);
        }
        Assert.Equal(option.DefaultText, Canonical(option, target));
    }

    private static string? Canonical(OptionDefinition option, object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        Enum e => option.Choices.Single(c => c.Member == e.ToString()).Word,
        _ => (string)value,
    };
}
