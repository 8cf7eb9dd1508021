using DP.Runtime.Data.Templates;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class PromptTemplateTests
{
    static readonly string[] Known = ["premise", "hypothesis"];
    static readonly Dictionary<string, string> Fields = new() { ["premise"] = "It rained.", ["hypothesis"] = "It was wet." };

    [Fact]
    public void Renders_fields_into_text()
    {
        var t = PromptTemplate.Parse("sentence1: {premise} sentence2: {hypothesis}", Known);
        Assert.Equal(("sentence1: It rained. sentence2: It was wet.", (string?)null), t.Render(Fields));
        Assert.Equal(["premise", "hypothesis"], t.Fields);
    }

    [Fact]
    public void Sep_marker_makes_a_text_pair()
    {
        var t = PromptTemplate.Parse("{premise} [SEP] Question: {hypothesis}", Known);
        Assert.True(t.IsPair);
        Assert.Equal(("It rained.", "Question: It was wet."), t.Render(Fields));
    }

    [Fact]
    public void Unknown_field_is_an_error_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => PromptTemplate.Parse("{premise} {hypotesis}", Known, "task.template"));
        Assert.Contains("'{hypotesis}'", e.Message);
        Assert.Contains("task.template", e.Message);
    }

    [Fact]
    public void Braces_escape_and_mask_is_inserted()
    {
        var t = PromptTemplate.Parse("{{literal}} {premise} {mask}", Known);
        Assert.Equal("{literal} It rained. <M>", t.Render(Fields, "<M>").Text);
        Assert.Throws<FormatException>(() => PromptTemplate.Parse("{premise", Known));
        Assert.Throws<FormatException>(() => PromptTemplate.Parse("a [SEP] b [SEP] c", Known));
    }

    [Fact]
    public void Candidate_fields_shadow_example_fields()
    {
        var t = PromptTemplate.Parse("{premise}", Known);
        Assert.Equal("override", t.Render(Fields, extra: new Dictionary<string, string> { ["premise"] = "override" }).Text);
    }
}
