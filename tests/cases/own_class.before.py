class Sequential:
    def add(self, layer): ...
m = Sequential()
m.add(1)
