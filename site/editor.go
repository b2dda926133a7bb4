package site

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/content"
)

// editorHome is the comms editors' start page: the site's content pages.
func (s *Server) editorHome(c echo.Context) error {
	pages, err := content.Pages()
	if err != nil {
		return err
	}
	b := s.base(c, "Content")
	b.NoIndex, b.Section = true, "editor"
	return s.render.render(c, http.StatusOK, "editor-home", struct {
		Base
		Pages []content.Page
	}{b, pages})
}

func (s *Server) editorRoutes(g *echo.Group) {
	g.GET("", s.editorHome)
}
