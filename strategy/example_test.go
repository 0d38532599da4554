package strategy_test

import (
	"fmt"
	"strings"

	"github.com/cachebust/cachebust/strategy"
)

func Example() {
	sum, _ := strategy.CRC32().Sum(strings.NewReader("hello"))
	fmt.Println(strategy.Rename{}.Format("css/main.css", sum))
	fmt.Println(strategy.Query{Param: "v"}.Format("css/main.css", sum))
	fmt.Println(strategy.Query{}.Format("css/main.css", sum))

	name, hash, ok := strategy.Rename{}.Parse("css/main-3610a686.css")
	fmt.Println(name, hash, ok)
	// Output:
	// css/main-3610a686.css
	// css/main.css?v=3610a686
	// css/main.css?3610a686
	// css/main.css 3610a686 true
}
