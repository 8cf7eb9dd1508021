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
        // few_shot is null until a spec asks for sampling: its keys read as those of a new FewShotOptions.
        => Assert.Equal(SpecSchema.Find(key)!.DefaultText, SpecOptionPaths.Text(new ExperimentOptions(), key));
}
