// Package doccheck holds the test that keeps the documentation's Go
// snippets true: every ```go block in README.md and docs/*.md is a piece of
// a compiled, tested Go file of the repository, named by a marker line
// just before the block,
//
//	<!-- snippet: adapters/htmltemplate/example_test.go ExampleFuncs -->
//
// and the test fails when the block's lines are not found, in order, in
// that function (or, without a function name, in that file). An Example
// with an Output comment then proves that the snippet does what the text
// around it says.
package doccheck
