using DP.Generators.Model;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Experiments;

/// <summary>
/// Options built in code (without a spec) start from the spec schema's defaults, and each method's options class
/// has exactly the method keys the schema gives that method: the schema is the one place a default or a method's
/// keys are stated, and these fail when a runtime class drifts from it.
/// </summary>
public class SchemaDefaultsTests
{
    public static IEnumerable<object[]> Keys() => SpecSchema.Options.Select(o => new object[] { o.Key });

    private static IEnumerable<MethodKind> Methods(string key)
        => Enum.GetValues<MethodKind>().Where(kind => SpecSchema.AppliesTo(key, SpecValues.MethodWord(kind)));

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_new_options_object_holds_the_schema_default(string key)
    {
        // few_shot is null until a spec asks for sampling: its keys read as those of a new FewShotOptions.
        foreach (var kind in Methods(key).Where(_ => key != "method.kind"))
            Assert.Equal(SpecSchema.Find(key)!.DefaultText, SpecOptionPaths.Text(new ExperimentOptions { Method = MethodOptions.Create(kind) }, key));
    }

    [Fact]
    public void The_default_method_is_the_schemas()
        => Assert.Equal(SpecSchema.Find("method.kind")!.DefaultText, SpecValues.MethodWord(new ExperimentOptions().Method.Kind));

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_method_key_is_held_by_the_options_of_exactly_the_methods_it_applies_to(string key)
    {
        var option = SpecSchema.Find(key)!;
        if (option.Scope != OptionScope.Method) return;
        var holder = typeof(MethodOptions).Assembly.GetType("DP.Runtime.Experiments." + option.Holder, throwOnError: true)!;
        foreach (var kind in Enum.GetValues<MethodKind>())
        {
            var method = MethodOptions.Create(kind);
            var word = SpecValues.MethodWord(kind);
            Assert.Equal(SpecSchema.MethodOptionsType(word), method.GetType().Name);
            Assert.True(SpecSchema.AppliesTo(key, word) == holder.IsInstanceOfType(method),
                $"{key}: the schema says it {(SpecSchema.AppliesTo(key, word) ? "applies" : "does not apply")} to '{word}', but {method.GetType().Name} {(holder.IsInstanceOfType(method) ? "is" : "is not")} a {holder.Name}.");
            Assert.Equal(holder.IsInstanceOfType(method), SpecOptionPaths.TryLocate(new ExperimentOptions { Method = method }, option) is not null);
        }
    }
}
