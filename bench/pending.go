package main

import "fmt"

func benchAgenda(scale float64) error {
	fmt.Println("  not measured yet: lands with the agenda feature")
	return nil
}

func benchConflicts(scale float64) error {
	fmt.Println("  not measured yet: lands with agenda conflicts")
	return nil
}
